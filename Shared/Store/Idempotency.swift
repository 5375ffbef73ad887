import Foundation
import GRDB
import PinganRules

/// A caller's idempotency key for one mutation: the method and a fingerprint of the request, so
/// that the same key reused for a different request is caught.
public struct IdempotencyKey: Sendable, Hashable {
    public var key: String
    public var method: String
    public var requestFingerprint: [UInt8]

    public init(key: String, method: String, requestFingerprint: [UInt8]) {
        self.key = key
        self.method = method
        self.requestFingerprint = requestFingerprint
    }

    /// Runs `body` once per key, in the caller's transaction: a repeated key with the same
    /// request returns the stored answer; with a different request it is refused. Failures are
    /// not stored, so a retry after one is evaluated afresh.
    ///
    /// - Throws: a `Refusal` (IDEMPOTENCY_KEY_REUSED) for a key reused with another request.
    public static func once<T>(
        _ db: Database, _ key: IdempotencyKey?, encode: (T) -> String, decode: (String) -> T?, _ body: () throws -> T
    ) throws -> T {
        guard let key else { return try body() }
        if let row = try Row.fetchOne(db, sql: "SELECT method, request_hash, response FROM idempotency_keys WHERE key = ?", arguments: [key.key]) {
            guard row["method"] as String == key.method, (row["request_hash"] as Data) == Data(key.requestFingerprint),
                  let answer = decode(row["response"]) else {
                throw Refusal.idempotencyKeyReused(key.key)
            }
            return answer
        }
        let result = try body()
        try db.execute(sql: "INSERT INTO idempotency_keys (key, method, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [key.key, key.method, Data(key.requestFingerprint), encode(result), ServiceDatabase.timestamp()])
        return result
    }
}

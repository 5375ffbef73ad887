import Foundation
import GRDB
import PinganRPC
import SwiftProtobuf

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

    /// The call's `idempotency-key`, bound to its method and request; nil when none was sent.
    /// `fingerprint` turns the serialized request into what is stored: a service whose requests
    /// carry personal data passes a keyed hash, never the bytes themselves.
    public init?(_ context: ServerContext, _ request: some SwiftProtobuf.Message, fingerprint: ([UInt8]) -> [UInt8] = { $0 }) throws {
        guard let key = context.metadata.idempotencyKey else { return nil }
        guard (1...128).contains(key.count) else {
            throw RPCError(.invalidArgument, "metadata idempotency-key: must be 1-128 characters, got \(key.count)")
        }
        self.init(key: key, method: context.method.fullName, requestFingerprint: fingerprint(try request.serializedBytes()))
    }

    /// The table that keeps first answers, for a service's migrations.
    public static let schema = """
        CREATE TABLE idempotency_keys (
            key TEXT PRIMARY KEY NOT NULL,
            method TEXT NOT NULL,
            request_hash BLOB NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """

    /// Runs `body` once per key, in the caller's transaction: a repeated key with the same
    /// request returns the stored answer; with a different request it is refused. Failures are
    /// not stored, so a retry after one is evaluated afresh.
    public static func once<T>(
        _ db: Database, _ key: IdempotencyKey?, encode: (T) -> String, decode: (String) -> T?, _ body: () throws -> T
    ) throws -> T {
        guard let key else { return try body() }
        if let row = try Row.fetchOne(db, sql: "SELECT method, request_hash, response FROM idempotency_keys WHERE key = ?", arguments: [key.key]) {
            guard row["method"] as String == key.method, (row["request_hash"] as Data) == Data(key.requestFingerprint),
                  let answer = decode(row["response"]) else {
                throw IdempotencyConflict(key: key.key)
            }
            return answer
        }
        let result = try body()
        try db.execute(sql: "INSERT INTO idempotency_keys (key, method, request_hash, response, created_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [key.key, key.method, Data(key.requestFingerprint), encode(result), ServiceDatabase.timestamp()])
        return result
    }
}

/// An idempotency key reused for a different request.
public struct IdempotencyConflict: Error, Sendable, Hashable {
    public var key: String

    public var rpcError: RPCError {
        RPCError(.failedPrecondition, "metadata idempotency-key '\(key)' was already used for a different request")
    }
}

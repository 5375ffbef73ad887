import COpenSSL
import Foundation

/// The batch id a file gets when none is given: `csv-` and 32 hex digits of the SHA-256 of the
/// unit, the category and the file's bytes. The same file sent again is the same batch (the
/// registry answers the first result); a changed file under an old name is a new batch, not a
/// reused id.
enum ContentBatchID {
    static func make(file: Data, unit: String, category: Int32) -> String {
        make(prefix: "csv", parts: [unit, String(category)], contents: file)
    }

    /// `prefix-` and 32 hex digits of the SHA-256 of the parts, a line each, and the contents:
    /// a rota file's idempotency key from its post, its period and its bytes.
    static func make(prefix: String, parts: [String], contents: Data) -> String {
        var input = Data(parts.map { $0 + "\n" }.joined().utf8)
        input.append(contents)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = input.withUnsafeBytes { bytes in
            EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(done == 1 && length == 32, "SHA-256 failed in libcrypto")
        return "\(prefix)-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

import COpenSSL

/// Seals personal data for storage and makes the keyed hashes that let the registry find and
/// de-duplicate it without decrypting anything.
///
/// A sealed value is `version (1) | nonce (12) | ciphertext | tag (16)`. The field's name is
/// authenticated with it, so a value copied into another column (or row kind) fails to open.
public struct PersonalDataCipher: Sendable {
    private let key: PersonalDataKey

    public init(key: PersonalDataKey) {
        self.key = key
    }

    /// Why a sealed value could not be opened: tampered, truncated, or sealed for another field
    /// or with another key.
    public struct OpenFailure: Error, Sendable, Hashable, CustomStringConvertible {
        public var field: String
        public var description: String { "\(field): the stored value does not authenticate (tampered, or sealed with another key)" }
    }

    private static let version: UInt8 = 1

    /// Encrypts `value` for the column `field` (e.g. "volunteer.id_number") with a fresh nonce.
    public func seal(_ value: String, field: String) -> [UInt8] {
        let plaintext = Array(value.utf8)
        let aad = Array(field.utf8)
        var nonce = [UInt8](repeating: 0, count: 12)
        precondition(RAND_bytes(&nonce, 12) == 1, "OpenSSL's RAND_bytes failed")
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let ok = COpenSSL_aes256gcm_seal(key.encryptionKey, nonce, aad, aad.count, plaintext, plaintext.count, &ciphertext, &tag)
        precondition(ok == 1, "AES-256-GCM encryption failed")
        return [Self.version] + nonce + ciphertext + tag
    }

    /// Decrypts a value sealed for `field`.
    public func open(_ sealed: [UInt8], field: String) throws(OpenFailure) -> String {
        guard sealed.count >= 1 + 12 + 16, sealed[0] == Self.version else { throw OpenFailure(field: field) }
        let nonce = Array(sealed[1..<13])
        let ciphertext = Array(sealed[13..<(sealed.count - 16)])
        let tag = Array(sealed.suffix(16))
        let aad = Array(field.utf8)
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        guard COpenSSL_aes256gcm_open(key.encryptionKey, nonce, aad, aad.count, ciphertext, ciphertext.count, tag, &plaintext) == 1,
              let text = String(validating: plaintext, as: UTF8.self) else {
            throw OpenFailure(field: field)
        }
        return text
    }

    /// HMAC-SHA256 of `value` under the hash key, per field: equal values give equal hashes, so
    /// a unique index on it keeps one person from being registered twice.
    public func keyedHash(_ value: String, field: String) -> [UInt8] {
        let data = Array("\(field)\u{0}\(value)".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        precondition(COpenSSL_hmac_sha256(key.hashKey, key.hashKey.count, data, data.count, &out) == 1, "HMAC-SHA256 failed")
        return out
    }
}

import COpenSSL
import Foundation

/// The secret that protects personal data at rest: 32 bytes for AES-256-GCM and 32 bytes for
/// the keyed hash, read from a file of 128 hex digits that only its owner may read (0600).
/// A service refuses to start without it: personal data is never stored in the clear.
public struct PersonalDataKey: Sendable {
    let encryptionKey: [UInt8]
    let hashKey: [UInt8]

    /// Why a key file was refused.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    public init(encryptionKey: [UInt8], hashKey: [UInt8]) throws(Problem) {
        guard encryptionKey.count == 32, hashKey.count == 32 else {
            throw Problem(message: "keys must be 32 bytes each, got \(encryptionKey.count) and \(hashKey.count)")
        }
        self.encryptionKey = encryptionKey
        self.hashKey = hashKey
    }

    /// Reads `path`; the file must be mode 0600 (or stricter) and hold 128 hex digits.
    public init(contentsOf path: String) throws(Problem) {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw Problem(message: "\(path): cannot be read (make one with deploy/make-data-key.sh)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o077 == 0 else {
            throw Problem(message: "\(path): must be readable by its owner only (mode 0600), is \(String(mode, radix: 8).leftPadded(4))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(message: "\(path): cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == 128, let bytes = [UInt8](hex: text) else {
            throw Problem(message: "\(path): must hold 128 hex digits (64 random bytes), holds \(text.count) characters")
        }
        try self.init(encryptionKey: Array(bytes[0..<32]), hashKey: Array(bytes[32..<64]))
    }

    /// A fresh random key, for tests and key generation.
    public static func random() -> PersonalDataKey {
        var bytes = [UInt8](repeating: 0, count: 64)
        precondition(RAND_bytes(&bytes, 64) == 1, "OpenSSL's RAND_bytes failed")
        return try! PersonalDataKey(encryptionKey: Array(bytes[0..<32]), hashKey: Array(bytes[32..<64]))
    }
}

extension Array where Element == UInt8 {
    init?(hex: String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = Self.nibble(high), let l = Self.nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        self = bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}

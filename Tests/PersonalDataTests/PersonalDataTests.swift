import Foundation
import PinganPersonalData
import Testing

@Suite("Personal data at rest")
struct PersonalDataTests {
    static let cipher = PersonalDataCipher(key: .random())

    @Test("a sealed value opens to itself, for its own field only")
    func roundTrip() throws {
        let sealed = Self.cipher.seal("11010519491231002X", field: "volunteer.id_number")
        #expect(try Self.cipher.open(sealed, field: "volunteer.id_number") == "11010519491231002X")
        #expect(throws: PersonalDataCipher.OpenFailure.self) { try Self.cipher.open(sealed, field: "volunteer.phone") }
        #expect(!String(decoding: sealed, as: UTF8.self).contains("1949"), "the plaintext is not in the stored bytes")
    }

    @Test("each seal uses a fresh nonce, so equal values do not look equal at rest")
    func freshNonces() {
        #expect(Self.cipher.seal("13812345678", field: "volunteer.phone") != Self.cipher.seal("13812345678", field: "volunteer.phone"))
    }

    @Test("any changed byte, a truncation, or another key fails to open")
    func tampering() {
        let sealed = Self.cipher.seal("王秀英 13812345678", field: "volunteer.phone")
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            #expect(throws: PersonalDataCipher.OpenFailure.self) { try Self.cipher.open(tampered, field: "volunteer.phone") }
        }
        #expect(throws: PersonalDataCipher.OpenFailure.self) { try Self.cipher.open(Array(sealed.dropLast()), field: "volunteer.phone") }
        let other = PersonalDataCipher(key: .random())
        #expect(throws: PersonalDataCipher.OpenFailure.self) { try other.open(sealed, field: "volunteer.phone") }
    }

    /// Stored hashes and sealed values must read the same after any change to how they are
    /// computed: expected values from Python's hmac and cryptography packages.
    @Test("known answers: the keyed hash is HMAC-SHA256 of 'field NUL value', a sealed value is version, nonce, AES-256-GCM")
    func knownAnswers() throws {
        let key = try PersonalDataKey(encryptionKey: Array(0..<32), hashKey: Array(32..<64))
        let cipher = PersonalDataCipher(key: key)
        let hash = cipher.keyedHash("11010519491231002X", field: "volunteer.id_number")
        #expect(hash.map { String(format: "%02x", $0) }.joined() == "0a59eaf8c3e9085e7b116f44f05079a924631064102b5bc001a73b2c7e9dc235")
        let hex = "016465666768696a6b6c6d6e6f792aee5749dc67a70a5b6edae9545acd709a765ba1d0ec3140d7cf3418ea30361fbd"
        let sealed = stride(from: 0, to: hex.count, by: 2).map { offset in
            UInt8(hex[hex.index(hex.startIndex, offsetBy: offset)..<hex.index(hex.startIndex, offsetBy: offset + 2)], radix: 16)!
        }
        #expect(try cipher.open(sealed, field: "volunteer.id_number") == "11010519491231002X")
    }

    @Test("keyed hashes are stable per key and field, and differ across keys and fields")
    func keyedHashes() {
        let a = Self.cipher.keyedHash("11010519491231002X", field: "volunteer.id_number")
        #expect(a.count == 32)
        #expect(a == Self.cipher.keyedHash("11010519491231002X", field: "volunteer.id_number"))
        #expect(a != Self.cipher.keyedHash("11010519491231002X", field: "volunteer.phone"))
        #expect(a != PersonalDataCipher(key: .random()).keyedHash("11010519491231002X", field: "volunteer.id_number"))
    }

    @Test("one cipher hashes, seals and opens from many threads at once, each answer as if alone")
    func sharedAcrossThreads() async throws {
        let values = (0..<2_000).map { "11010519491231\(String(format: "%04d", $0))" }
        let alone = values.map { Self.cipher.keyedHash($0, field: "volunteer.id_number") }
        let together = try await withThrowingTaskGroup(of: (Int, [UInt8], String).self) { group in
            for (index, value) in values.enumerated() {
                group.addTask {
                    let sealed = Self.cipher.seal(value, field: "volunteer.id_number")
                    return (index, Self.cipher.keyedHash(value, field: "volunteer.id_number"), try Self.cipher.open(sealed, field: "volunteer.id_number"))
                }
            }
            var answers = [([UInt8], String)?](repeating: nil, count: values.count)
            for try await (index, hash, opened) in group { answers[index] = (hash, opened) }
            return answers
        }
        #expect(together.map { $0?.0 } == alone.map { Optional($0) })
        #expect(together.map { $0?.1 } == values.map { Optional($0) })
    }

    static func keyFile(_ contents: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-key-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test("a key file is accepted only with mode 0600 and 128 hex digits")
    func keyFiles() throws {
        let good = String(repeating: "0123456789abcdef", count: 8)
        let path = try Self.keyFile(good + "\n", mode: 0o600)
        let cipher = PersonalDataCipher(key: try PersonalDataKey(contentsOf: path))
        #expect(try cipher.open(cipher.seal("x", field: "f"), field: "f") == "x")

        let open = try Self.keyFile(good, mode: 0o644)
        #expect(throws: PersonalDataKey.Problem(message: "\(open): must be readable by its owner only (mode 0600), is 0644")) {
            try PersonalDataKey(contentsOf: open)
        }
        let short = try Self.keyFile("abcd", mode: 0o600)
        #expect(throws: PersonalDataKey.Problem(message: "\(short): must hold 128 hex digits (64 random bytes), holds 4 characters")) {
            try PersonalDataKey(contentsOf: short)
        }
        #expect(throws: PersonalDataKey.Problem.self) { try PersonalDataKey(contentsOf: "/nonexistent/key") }
    }

    @Test("deploy/make-data-key.sh makes a key the service accepts, and refuses to overwrite one")
    func keyScript() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-made-key-\(UUID().uuidString)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/make-data-key.sh").standardized.path
        let process = try Process.run(URL(fileURLWithPath: "/bin/bash"), arguments: [script, path])
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        _ = try PersonalDataKey(contentsOf: path)
        let again = try Process.run(URL(fileURLWithPath: "/bin/bash"), arguments: [script, path])
        again.waitUntilExit()
        #expect(again.terminationStatus == 1)
    }
}

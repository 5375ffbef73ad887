import Foundation
import GRDB
import PinganPersonalData
import PinganStore

/// The data key and the data agree, or nothing is served; and a key can be replaced.
extension RegistryStore {
    /// The text whose keyed hash and sealed form are kept with the data.
    static let keyCheckText = "pingan data key check"
    static let keyCheckField = "data_key.check"

    /// Refuses a key that is not the one the data was written with. A database from before the
    /// check existed is checked against a volunteer's sealed ID number, then given its check.
    func verifyDataKey(path: String) throws {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM key_rotation)") == true {
                throw StoreError("a data key rotation of \(path) is under way: finish it (pingan-registry --data-key OLD --rotate-data-key NEW) before serving")
            }
            if let row = try Row.fetchOne(db, sql: "SELECT check_hash, check_sealed FROM data_key WHERE id = 1") {
                guard Self.matches(cipher, hash: row["check_hash"], sealed: row["check_sealed"]) else {
                    throw StoreError("the data key does not match \(path): its data was sealed with another key. "
                                     + "Start with the key it was written with, or rotate with --rotate-data-key")
                }
                return
            }
            if let sealed = try Data.fetchOne(db, sql: "SELECT id_sealed FROM volunteers ORDER BY id LIMIT 1") {
                guard (try? cipher.open([UInt8](sealed), field: Self.idField)) != nil else {
                    throw StoreError("the data key does not match \(path): its volunteers were sealed with another key. "
                                     + "Start with the key it was written with, or rotate with --rotate-data-key")
                }
            }
            try Self.writeKeyCheck(db, cipher, generation: 1)
        }
        try sealPlainBirthDates()
    }

    /// Seals the birth dates a database from before v6 kept in plain text, a thousand rows a
    /// transaction (a restart after an interruption goes on with the rest).
    func sealPlainBirthDates() throws {
        while try writer.write({ db -> Bool in
            let rows = try Row.fetchAll(db, sql: "SELECT id, birth_date FROM volunteers INDEXED BY volunteers_plain_birth_date WHERE birth_date != '' LIMIT 1000")
            for row in rows {
                try db.execute(sql: "UPDATE volunteers SET birth_date_sealed = ?, birth_date = '' WHERE id = ?",
                               arguments: [Data(cipher.seal(row["birth_date"], field: Self.birthDateField)), row["id"] as Int64])
            }
            return !rows.isEmpty
        }) {}
    }

    static func matches(_ cipher: PersonalDataCipher, hash: Data, sealed: Data) -> Bool {
        Data(cipher.keyedHash(keyCheckText, field: keyCheckField)) == hash
            && (try? cipher.open([UInt8](sealed), field: keyCheckField)) == keyCheckText
    }

    static func writeKeyCheck(_ db: Database, _ cipher: PersonalDataCipher, generation: Int) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO data_key (id, check_hash, check_sealed, generation, since) VALUES (1, ?, ?, ?, ?)",
                       arguments: [Data(cipher.keyedHash(keyCheckText, field: keyCheckField)),
                                   Data(cipher.seal(keyCheckText, field: keyCheckField)), generation, Self.timestamp()])
    }

    /// The key generation in force: batches hashed under an older one cannot be compared.
    static func keyGeneration(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT generation FROM data_key WHERE id = 1") ?? 1
    }

    /// How far a rotation got.
    public struct RotationProgress: Sendable, Hashable {
        public var resealed: Int
        public var total: Int
        public var finished: Bool
    }

    /// Re-seals every ID and phone number and re-hashes every ID under `newCipher`, in
    /// transactions of `batchSize` volunteers, each recording how far it got: a rotation that is
    /// stopped (killed, power lost) resumes where it was when run again with the same two keys.
    /// At the end, in one transaction, the new key's check replaces the old one and the
    /// idempotency keys (fingerprints under the old key) are dropped; batch ids registered
    /// before can no longer be replayed. `maximumBatches` stops early (for tests).
    public func rotateKey(to newCipher: PersonalDataCipher, actor: String, batchSize: Int = 500, maximumBatches: Int = .max,
                          progress: (RotationProgress) -> Void = { _ in }) throws -> RotationProgress {
        let newCheck = Data(newCipher.keyedHash(Self.keyCheckText, field: Self.keyCheckField))
        let total = try writer.write { db -> Int in
            if let started = try Data.fetchOne(db, sql: "SELECT new_check_hash FROM key_rotation WHERE id = 1") {
                guard started == newCheck else {
                    throw StoreError("a rotation to another key is under way; finish it with that key")
                }
            } else {
                if let row = try Row.fetchOne(db, sql: "SELECT check_hash, check_sealed FROM data_key WHERE id = 1"),
                   !Self.matches(cipher, hash: row["check_hash"], sealed: row["check_sealed"]) {
                    throw StoreError("the current data key (--data-key) does not match the database; rotation needs the key in force")
                }
                try db.execute(sql: "INSERT INTO key_rotation (id, new_check_hash, last_volunteer_id, started_at) VALUES (1, ?, 0, ?)",
                               arguments: [newCheck, Self.timestamp()])
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM volunteers") ?? 0
        }
        for _ in 0..<maximumBatches {
            let (done, more) = try writer.write { db -> (Int, Bool) in
                let last = try Int64.fetchOne(db, sql: "SELECT last_volunteer_id FROM key_rotation WHERE id = 1") ?? 0
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, id_sealed, phone_sealed, birth_date_sealed FROM volunteers WHERE id > ? ORDER BY id LIMIT ?
                    """, arguments: [last, batchSize])
                for row in rows {
                    let idNumber = try cipher.open([UInt8](row["id_sealed"] as Data), field: Self.idField)
                    let phone = try (row["phone_sealed"] as Data?).map { try cipher.open([UInt8]($0), field: Self.phoneField) }
                    let birthDate = try (row["birth_date_sealed"] as Data?).map { try cipher.open([UInt8]($0), field: Self.birthDateField) }
                    try db.execute(sql: "UPDATE volunteers SET id_hash = ?, id_sealed = ?, phone_sealed = ?, birth_date_sealed = ? WHERE id = ?", arguments: [
                        Data(newCipher.keyedHash(idNumber, field: Self.idField)), Data(newCipher.seal(idNumber, field: Self.idField)),
                        phone.map { Data(newCipher.seal($0, field: Self.phoneField)) },
                        birthDate.map { Data(newCipher.seal($0, field: Self.birthDateField)) }, row["id"] as Int64,
                    ])
                }
                if let lastRow = rows.last {
                    try db.execute(sql: "UPDATE key_rotation SET last_volunteer_id = ? WHERE id = 1", arguments: [lastRow["id"] as Int64])
                }
                let done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM volunteers WHERE id <= (SELECT last_volunteer_id FROM key_rotation)") ?? 0
                return (done, rows.count == batchSize)
            }
            progress(RotationProgress(resealed: done, total: total, finished: false))
            guard more else {
                try writer.write { db in
                    let generation = try Self.keyGeneration(db) + 1
                    try Self.writeKeyCheck(db, newCipher, generation: generation)
                    try db.execute(sql: "DELETE FROM key_rotation")
                    try db.execute(sql: "DELETE FROM idempotency_keys")
                    try Self.audit(db, actor: actor, action: "registry.rotateDataKey", target: "\(total) volunteers re-sealed, key generation \(generation)",
                                   requestID: "-")
                }
                return RotationProgress(resealed: total, total: total, finished: true)
            }
        }
        let done = try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM volunteers WHERE id <= (SELECT last_volunteer_id FROM key_rotation)") ?? 0
        }
        return RotationProgress(resealed: done, total: total, finished: false)
    }
}

import Foundation
import GRDB
import PinganCampaign
import PinganPersonalData
import PinganRules
import PinganStore

/// A key person as duty keeps them, opened.
public struct KeyPersonRecord: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String
    public var category: KeyPersonCategory
    public var name: String
    public var situation: String
    public var helperVolunteerID: Int64?
    public var assistanceCount: Int
    public var lastAssistedOn: CalendarDay?
}

/// One time a volunteer helped a key person, opened.
public struct AssistanceRecord: Sendable, Hashable {
    public var id: Int64
    public var keyPersonID: Int64
    public var volunteerID: Int64
    public var day: CalendarDay
    public var kind: AssistanceKind
    public var note: String
}

extension DutyStore {
    static let keyCheckText = "pingan duty data key check"
    static let keyCheckField = "duty.data_key.check"
    static let nameField = "duty.key_person.name"
    static let situationField = "duty.key_person.situation"
    static let noteField = "duty.assistance.note"

    /// Refuses a key that is not the one the key persons were sealed with; the first key a
    /// database sees is recorded.
    static func verifyDataKey(_ writer: any DatabaseWriter, _ cipher: PersonalDataCipher) throws {
        try writer.write { db in
            if let sealed = try Data.fetchOne(db, sql: "SELECT check_sealed FROM data_key WHERE id = 1") {
                guard (try? cipher.open([UInt8](sealed), field: keyCheckField)) == keyCheckText else {
                    throw StoreError("the data key does not match the duty database: its key persons were sealed with another key")
                }
                return
            }
            if let sealed = try Data.fetchOne(db, sql: "SELECT name_sealed FROM key_persons LIMIT 1"),
               (try? cipher.open([UInt8](sealed), field: nameField)) == nil {
                throw StoreError("the data key does not match the duty database: its key persons were sealed with another key")
            }
            try db.execute(sql: "INSERT INTO data_key (id, check_sealed, since) VALUES (1, ?, ?)",
                           arguments: [Data(cipher.seal(keyCheckText, field: keyCheckField)), ServiceDatabase.timestamp()])
        }
    }

    /// The cipher, or FAILED_PRECONDITION's refusal: without a data key nothing personal is kept.
    func requireCipher() throws -> PersonalDataCipher {
        guard let cipher else {
            throw Refusal("key persons", BrokenRule(field: "dataKey", rule: "NO_DATA_KEY", kind: .state,
                                                    message: "this duty service runs without a data key (--data-key): key persons are sealed at rest and cannot be kept"))
        }
        return cipher
    }

    /// Adds a key person; the read of their data is on record like every write.
    public func addKeyPerson(_ draft: KeyPersonDraft, category: KeyPersonCategory, actor: String, requestID: String,
                             idempotency: IdempotencyKey? = nil) async throws -> KeyPersonRecord {
        let cipher = try requireCipher()
        return try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                try db.execute(sql: """
                    INSERT INTO key_persons (unit_code, category, name_sealed, situation_sealed, helper_volunteer_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [draft.unitCode, category.rawValue, Data(cipher.seal(draft.name.trimmed, field: Self.nameField)),
                                     Data(cipher.seal(draft.situation.trimmed, field: Self.situationField)), draft.helperVolunteerID,
                                     ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "duty.addKeyPerson", target: "key person \(id) in \(draft.unitCode)", requestID: requestID)
                return id
            }
            return try Self.keyPersons(db, cipher, where: "k.id = ?", [id])[0]
        }
    }

    /// The key persons of `unitCode` (nil: every unit); the reading is written to the audit log.
    public func keyPersons(unitCode: String?, actor: String, requestID: String) async throws -> [KeyPersonRecord] {
        let cipher = try requireCipher()
        return try await writer.write { db in
            let people = try Self.keyPersons(db, cipher, where: unitCode == nil ? "1 = 1" : "k.unit_code = ?", unitCode.map { [$0] } ?? [])
            try AuditLog.append(db, actor: actor, action: "duty.readKeyPersons",
                                target: "\(people.count) key persons of \(unitCode ?? "every unit")", requestID: requestID)
            return people
        }
    }

    /// Records assistance to a key person in `scope`; nil if there is none.
    public func recordAssistance(keyPersonID: Int64, volunteerID: Int64, day: CalendarDay, kind: AssistanceKind, note: String, scope: String?,
                                 actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> AssistanceRecord? {
        let cipher = try requireCipher()
        if note.count > 500 { throw Refusal("assistance", BrokenRule(field: "note", rule: "NOTE", message: "at most 500 characters")) }
        return try await writer.write { db in
            guard let unit = try String.fetchOne(db, sql: "SELECT unit_code FROM key_persons WHERE id = ?", arguments: [keyPersonID]),
                  scope == nil || unit == scope else { return nil }
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                try db.execute(sql: """
                    INSERT INTO assistance (key_person_id, volunteer_id, day, kind, note_sealed, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [keyPersonID, volunteerID, day.description, kind.rawValue, Data(cipher.seal(note.trimmed, field: Self.noteField)),
                                     actor, ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "duty.recordAssistance",
                                    target: "assistance \(id) to key person \(keyPersonID) by volunteer \(volunteerID)", requestID: requestID)
                return id
            }
            return try Self.assistance(db, cipher, where: "id = ?", [id]).first
        }
    }

    /// A key person's assistance in `scope`, oldest first, the reading on record; nil if there
    /// is no such key person.
    public func assistance(keyPersonID: Int64, scope: String?, actor: String, requestID: String) async throws -> [AssistanceRecord]? {
        let cipher = try requireCipher()
        return try await writer.write { db in
            guard let unit = try String.fetchOne(db, sql: "SELECT unit_code FROM key_persons WHERE id = ?", arguments: [keyPersonID]),
                  scope == nil || unit == scope else { return nil }
            try AuditLog.append(db, actor: actor, action: "duty.readAssistance", target: "key person \(keyPersonID)", requestID: requestID)
            return try Self.assistance(db, cipher, where: "key_person_id = ?", [keyPersonID])
        }
    }

    static func keyPersons(_ db: Database, _ cipher: PersonalDataCipher, where condition: String, _ arguments: StatementArguments) throws -> [KeyPersonRecord] {
        try Row.fetchAll(db, sql: """
            SELECT k.id, k.unit_code, k.category, k.name_sealed, k.situation_sealed, k.helper_volunteer_id,
                   (SELECT COUNT(*) FROM assistance a WHERE a.key_person_id = k.id), (SELECT MAX(day) FROM assistance a WHERE a.key_person_id = k.id)
            FROM key_persons k WHERE \(condition) ORDER BY k.unit_code, k.id
            """, arguments: arguments).map { row in
            KeyPersonRecord(id: row[0], unitCode: row[1], category: KeyPersonCategory(rawValue: row[2]) ?? .other,
                            name: try open(cipher, row[3], Self.nameField), situation: try open(cipher, row[4], Self.situationField),
                            helperVolunteerID: row[5], assistanceCount: row[6], lastAssistedOn: (row[7] as String?).flatMap { CalendarDay(iso: $0) })
        }
    }

    static func assistance(_ db: Database, _ cipher: PersonalDataCipher, where condition: String, _ arguments: StatementArguments) throws -> [AssistanceRecord] {
        try Row.fetchAll(db, sql: "SELECT id, key_person_id, volunteer_id, day, kind, note_sealed FROM assistance WHERE \(condition) ORDER BY day, id",
                         arguments: arguments).map { row in
            AssistanceRecord(id: row[0], keyPersonID: row[1], volunteerID: row[2], day: CalendarDay(iso: row[3] as String)!,
                             kind: AssistanceKind(rawValue: row[4]) ?? .help, note: try open(cipher, row[5], Self.noteField))
        }
    }

    /// A sealed value opened; one that does not authenticate is damage, not an answer.
    static func open(_ cipher: PersonalDataCipher, _ sealed: Data, _ field: String) throws -> String {
        do {
            return try cipher.open([UInt8](sealed), field: field)
        } catch {
            throw StoreError("\(field): \(error.description)")
        }
    }
}

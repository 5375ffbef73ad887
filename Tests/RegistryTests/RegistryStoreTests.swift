import PinganCampaign
import Foundation
import GRDB
import PinganPersonalData
import PinganStore
import PinganRules
@testable import Registry
import Testing

@Suite("Registry store: directed registration, personal data, audit")
struct RegistryStoreTests {
    static let plan = RecruitmentPlan.townPlan2010
    static let units = [
        OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
        OrgUnit(code: "DEPT-ZZB", name: "综治办", kind: .department, parentCode: "TOWN", responsible: "李强"),
        OrgUnit(code: "JC-017", name: "第十七居委会", kind: .residentialCommittee, parentCode: "TOWN"),
    ]

    /// A valid resident ID number for a birth date and sequence.
    static func idNumber(born: String, sequence: Int) -> String {
        let body = "310101" + born.filter { $0 != "-" } + String(format: "%03d", sequence)
        return body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func store() async throws -> RegistryStore {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        try await store.saveUnits(units, actor: "town-office", requestID: "setup")
        return store
    }

    static func rows(_ count: Int, from start: Int = 1) -> [DirectedBatch.Row] {
        (start..<(start + count)).map { index in
            DirectedBatch.Row(number: index - start + 1, name: "职工\(index)", idNumber: idNumber(born: "1975-05-20", sequence: index),
                              phone: "1381234\(String(format: "%04d", index))")
        }
    }

    @Test("a good batch registers every row, stores ID numbers sealed and answers them masked")
    func registersABatch() async throws {
        let store = try await Self.store()
        let batch = DirectedBatch(batchID: "zzb-2009-10-01", unitCode: "DEPT-ZZB", category: 1, rows: Self.rows(50))
        let result = try await store.registerBatch(batch, plan: Self.plan, actor: "clerk-zzb", requestID: "r1")
        #expect(result.accepted == 50)
        #expect(!result.replayed)
        #expect(try await store.volunteerCount() == 50)

        let masked = try #require(try await store.volunteer(id: result.firstVolunteerID, unmasked: false, actor: "auditor", requestID: "r2"))
        #expect(masked.idNumber == "31**************" + Self.idNumber(born: "1975-05-20", sequence: 1).suffix(2))
        #expect(masked.phone == "138****0001")
        #expect(masked.birthYear == 1975 && masked.birthDate == nil, "a masked answer has the year, not the date")
        #expect(masked.status == "active")
        #expect(try await store.auditLog().map(\.action) == Array(repeating: "registry.saveUnit", count: 3) + ["registry.registerBatch"],
                "a masked read is not audited")

        let full = try #require(try await store.volunteer(id: result.firstVolunteerID, unmasked: true, actor: "town-office", requestID: "r3"))
        #expect(full.idNumber == Self.idNumber(born: "1975-05-20", sequence: 1))
        #expect(full.phone == "13812340001")
        #expect(full.birthDate == CalendarDay(iso: "1975-05-20"), "the date travels with the unmasked, audited read")
        let last = try #require(try await store.auditLog().last)
        #expect(last.action == "registry.readUnmasked")
        #expect(last.actor == "town-office")
        #expect(last.requestID == "r3")
        #expect(try await store.volunteerID(forIDNumber: Self.idNumber(born: "1975-05-20", sequence: 7)) == result.firstVolunteerID + 6)
    }

    @Test("a batch with one bad row leaves nothing behind and names every bad row")
    func allOrNothing() async throws {
        let store = try await Self.store()
        var rows = Self.rows(20)
        rows[4].idNumber = "110105194912310023"  // wrong check digit
        rows[9].idNumber = rows[2].idNumber      // the same person twice
        rows[14].phone = "12345"
        rows[19].name = "  "
        let batch = DirectedBatch(batchID: "b-1", unitCode: "DEPT-ZZB", category: 1, rows: rows)
        await #expect {
            try await store.registerBatch(batch, plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { error in
            guard let rejected = error as? Refusal else { return false }
            return rejected.rules.map(\.description) == [
                "rows[5].idNumber: check digit is 3 but GB 11643 requires X",
                "rows[10].idNumber: the same person as row 3",
                "rows[15].phone: must be an 11-digit mobile number starting with 1",
                "rows[20].name: must be 1-64 characters",
            ]
        }
        #expect(try await store.volunteerCount() == 0)
        #expect(try await store.auditLog().count == Self.units.count, "only the unit set-up")
    }

    @Test("a person registered in an earlier batch is reported, never registered twice")
    func duplicateAcrossBatches() async throws {
        let store = try await Self.store()
        _ = try await store.registerBatch(DirectedBatch(batchID: "first", unitCode: "DEPT-ZZB", category: 1, rows: Self.rows(10)),
                                    plan: Self.plan, actor: "clerk", requestID: "r")
        let overlapping = DirectedBatch(batchID: "second", unitCode: "DEPT-ZZB", category: 6, rows: Self.rows(5, from: 9))
        await #expect {
            try await store.registerBatch(overlapping, plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { error in
            guard let rejected = error as? Refusal else { return false }
            return rejected.rules.map(\.rule) == ["ALREADY_REGISTERED", "ALREADY_REGISTERED"] && rejected.rules.map(\.rowNumber) == [1, 2]
        }
        #expect(try await store.volunteerCount() == 10)

        // Only the last row was registered before: the rows inserted ahead of it are undone, with
        // their events and tallies, and the batch id stays free.
        let feed = try #require(store.handle.feed)
        let events = try await feed.events(after: 0, limit: 1000, unit: nil).count
        var rows = Self.rows(5, from: 11)
        rows[4].idNumber = Self.idNumber(born: "1975-05-20", sequence: 10)
        await #expect {
            try await store.registerBatch(DirectedBatch(batchID: "third", unitCode: "DEPT-ZZB", category: 6, rows: rows),
                                          plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map { "\($0.rowNumber ?? 0) \($0.rule)" } == ["5 ALREADY_REGISTERED"] }
        #expect(try await store.volunteerCount() == 10, "the tallies")
        #expect(try await store.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM volunteers") } == 10, "the rows")
        #expect(try await feed.events(after: 0, limit: 1000, unit: nil).count == events)
        let fresh = DirectedBatch(batchID: "third", unitCode: "DEPT-ZZB", category: 6, rows: Array(rows.prefix(4)))
        #expect(try await store.registerBatch(fresh, plan: Self.plan, actor: "clerk", requestID: "r").accepted == 4, "the refused batch's id is free")
    }

    @Test("resubmitting a batch id returns the first result; different rows under it are refused")
    func idempotentBatches() async throws {
        let store = try await Self.store()
        let batch = DirectedBatch(batchID: "retry-me", unitCode: "DEPT-ZZB", category: 1, rows: Self.rows(8))
        let first = try await store.registerBatch(batch, plan: Self.plan, actor: "clerk", requestID: "r1")
        let again = try await store.registerBatch(batch, plan: Self.plan, actor: "clerk", requestID: "r2")
        #expect(again.replayed)
        #expect(again.accepted == first.accepted && again.firstVolunteerID == first.firstVolunteerID)
        #expect(try await store.volunteerCount() == 8)

        var changed = batch
        changed.rows.removeLast()
        await #expect {
            try await store.registerBatch(changed, plan: Self.plan, actor: "clerk", requestID: "r3")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["BATCH_ID_REUSED"] }
    }

    @Test("category rules: sub-categories for category 3, no directed batches for public category 9, known units only")
    func categoryAndUnitRules() async throws {
        let store = try await Self.store()
        var rows = Self.rows(3)
        rows[0].subcategory = "3.01"
        rows[1].subcategory = "3.99"
        let category3 = DirectedBatch(batchID: "c3", unitCode: "DEPT-ZZB", category: 3, rows: rows)
        await #expect {
            try await store.registerBatch(category3, plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["UNKNOWN_SUBCATEGORY", "SUBCATEGORY_REQUIRED"] }

        await #expect {
            try await store.registerBatch(DirectedBatch(batchID: "c9", unitCode: "JC-017", category: 9, rows: Self.rows(1)),
                                    plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["NOT_DIRECTED"] }

        await #expect {
            try await store.registerBatch(DirectedBatch(batchID: "nowhere", unitCode: "JC-999", category: 1, rows: Self.rows(1)),
                                    plan: Self.plan, actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.description) == ["unitCode: unit JC-999 does not exist"] }
    }

    @Test("the schema itself refuses a second record for one person and any change to the audit log")
    func schemaInvariants() async throws {
        let store = try await Self.store()
        _ = try await store.registerBatch(DirectedBatch(batchID: "one", unitCode: "DEPT-ZZB", category: 1, rows: Self.rows(1)),
                                    plan: Self.plan, actor: "clerk", requestID: "r")
        await #expect(throws: DatabaseError.self) {
            try await store.execute(sql: """
                INSERT INTO volunteers (name, id_hash, id_sealed, id_masked, birth_date, unit_code, category, status, created_at)
                SELECT name, id_hash, id_sealed, id_masked, birth_date, unit_code, category, status, created_at FROM volunteers
                """)
        }
        await #expect {
            try await store.execute(sql: "UPDATE audit_log SET actor = 'someone else'")
        } throws: { "\($0)".contains("audit_log is append-only") }
        await #expect {
            try await store.execute(sql: "DELETE FROM audit_log")
        } throws: { "\($0)".contains("audit_log is append-only") }
    }

    @Test("a file database runs in WAL mode, and one written by a newer registry is refused")
    func fileDatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString).sqlite").path
        let cipher = PersonalDataCipher(key: .random())
        let store = try RegistryStore.open(path: path, cipher: cipher)
        try await store.saveUnits(Self.units, actor: "setup", requestID: "r")
        let mode = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")

        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9: from the future')")
        }
        #expect(throws: StoreError("the database was written by a newer registry (unknown migrations: v9: from the future)")) {
            try RegistryStore.open(path: path, cipher: cipher)
        }
    }
}

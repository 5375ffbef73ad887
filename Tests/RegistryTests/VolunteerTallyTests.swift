import Foundation
import GRDB
import PinganCampaign
import PinganPersonalData
@testable import Registry
import Testing

/// The progress report reads tallies the triggers keep instead of counting volunteers; these
/// tests hold the tallies to what a count over the volunteers says, whatever path changed them.
@Suite("Volunteer tallies")
struct VolunteerTallyTests {
    /// The tallies as a count over the volunteers gives them, and as the tally table has them.
    static func countedAndTallied(_ writer: any DatabaseWriter) throws -> (counted: [String], tallied: [String]) {
        try writer.read { db in
            let counted = try String.fetchAll(db, sql: """
                SELECT unit_code || '/' || category || '/' || COALESCE(subcategory, '') || '/' || status || '=' || COUNT(*)
                FROM volunteers GROUP BY unit_code, category, COALESCE(subcategory, ''), status ORDER BY 1
                """)
            let tallied = try String.fetchAll(db, sql: """
                SELECT unit_code || '/' || category || '/' || subcategory || '/' || status || '=' || n
                FROM volunteer_tallies WHERE n > 0 ORDER BY 1
                """)
            return (counted, tallied)
        }
    }

    @Test("batches, applications, decisions, suspensions and direct edits keep the tallies equal to a count")
    func talliesFollowEveryChange() async throws {
        let store = try await RegistryStoreTests.store()
        let first = try await store.registerBatch(
            DirectedBatch(batchID: "b1", unitCode: "DEPT-ZZB", category: 1, rows: RegistryStoreTests.rows(30)),
            plan: RegistryStoreTests.plan, actor: "office", requestID: "r1")
        var applicants: [Int64] = []
        for sequence in 1...4 {
            let body = "310101" + "19500301" + String(format: "%03d", sequence)
            let id = body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
            let applicant = Applicant(name: "申请人\(sequence)", identity: .residentID(id), birthDate: CalendarDay(iso: "1950-03-01")!,
                                      residency: .shanghaiHousehold)
            applicants.append(try await store.submitApplication(applicant, phone: nil, unitCode: "JC-017", on: CalendarDay(iso: "2009-10-15")!,
                                                                rules: .townPlan2010, actor: "clerk", requestID: "a\(sequence)"))
        }
        for id in applicants.prefix(3) {
            _ = try await store.decide(.committeeAccept, volunteerID: id, by: .unitClerk, scope: "JC-017", actor: "clerk", requestID: "c\(id)")
        }
        _ = try await store.decide(.officeApprove, volunteerID: applicants[0], by: .office, scope: nil, actor: "office", requestID: "o1")
        _ = try await store.decide(.suspend(reason: "moved away"), volunteerID: first.firstVolunteerID, by: .office, scope: nil,
                                   actor: "office", requestID: "s1")
        try await store.writer.write { db in
            try db.execute(sql: "UPDATE volunteers SET unit_code = 'JC-017', subcategory = 'x' WHERE id = ?", arguments: [first.firstVolunteerID + 1])
            try db.execute(sql: "UPDATE volunteers SET name = '改名' WHERE id = ?", arguments: [first.firstVolunteerID + 2])
            try db.execute(sql: "DELETE FROM volunteers WHERE id = ?", arguments: [first.firstVolunteerID + 3])
        }

        let (counted, tallied) = try Self.countedAndTallied(store.writer)
        #expect(tallied == counted)
        #expect(counted.contains("DEPT-ZZB/1//active=27"))
        #expect(try await store.volunteerCount() == 33)
        let counts = try await store.enrolmentCounts(unitCode: "JC-017")
        #expect(counts.byCategory == [9: 1, 1: 1])
        #expect(counts.bySubcategory == ["x": 1])
        #expect(try await store.enrolmentByUnit() == ["DEPT-ZZB": [1: 27], "JC-017": [9: 1, 1: 1]])
    }

    @Test("a registry upgraded with volunteers already in it starts with their tallies")
    func migrationTalliesExistingVolunteers() throws {
        let queue = try DatabaseQueue()
        try RegistryMigrations.migrator.migrate(queue, upTo: "v8: the day a status change took effect")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO org_units (code, name, kind) VALUES ('TOWN', 'town', 'town')")
            for (index, status) in ["active", "active", "applied", "withdrawn"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO volunteers (name, id_hash, id_sealed, id_masked, birth_date, unit_code, category, subcategory, status, created_at)
                    VALUES ('v', ?, x'00', '31**', '', 'TOWN', 2, ?, ?, '2009-10-01T00:00:00Z')
                    """, arguments: [Data([UInt8(index)]), index == 0 ? "a" : nil, status])
            }
        }
        try RegistryMigrations.migrator.migrate(queue)
        let (counted, tallied) = try Self.countedAndTallied(queue)
        #expect(tallied == counted)
        #expect(tallied == ["TOWN/2//active=1", "TOWN/2//applied=1", "TOWN/2//withdrawn=1", "TOWN/2/a/active=1"])
    }
}

import Foundation
import GRDB
import PinganPersonalData
import PinganRules
import PinganStore
import PinganTestSupport
@testable import Registry
import Testing

@Suite("The data key: the wrong one is refused, and a key can be rotated, resumably")
struct DataKeyTests {
    static func database(volunteers: Int, key: PersonalDataKey) async throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-key-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("registry.sqlite").path
        let store = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: key))
        try await store.saveUnits([OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
                                   OrgUnit(code: "DEPT", name: "综治办", kind: .department, parentCode: "TOWN")], actor: "t", requestID: "r")
        let rows = (1...volunteers).map {
            DirectedBatch.Row(number: $0, name: "人\($0)", idNumber: RegistryFixtures.idNumber(sequence: $0), phone: "1381234\(String(format: "%04d", $0))")
        }
        _ = try await store.registerBatch(DirectedBatch(batchID: "first", unitCode: "DEPT", category: 4, rows: rows),
                                          plan: .townPlan2010, actor: "t", requestID: "r")
        return path
    }

    @Test("a registry opened with another key refuses, before a person on file can be registered twice")
    func wrongKeyRefused() async throws {
        let key = PersonalDataKey.random()
        let path = try await Self.database(volunteers: 3, key: key)
        #expect {
            _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: .random()))
        } throws: { "\($0)".hasPrefix("the data key does not match \(path)") }
        _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: key))
    }

    @Test("a database from before the check is checked against a volunteer, then given its check")
    func oldDatabaseChecked() async throws {
        let key = PersonalDataKey.random()
        let path = try await Self.database(volunteers: 2, key: key)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "DELETE FROM data_key") }
        try queue.close()
        #expect(throws: StoreError.self) { _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: .random())) }
        _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: key))
        let count = try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM data_key") }
        #expect(count == 1)
    }

    @Test("a rotation stopped half-way resumes; afterwards every number reads under the new key, duplicates are still caught, the old key is refused")
    func rotation() async throws {
        let old = PersonalDataKey.random(), new = PersonalDataKey.random()
        let path = try await Self.database(volunteers: 120, key: old)
        let rotating = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: old), verifyingKey: false)
        let first = try rotating.rotateKey(to: PersonalDataCipher(key: new), actor: "operator", batchSize: 50, maximumBatches: 1)
        #expect(first == .init(resealed: 50, total: 120, finished: false))
        #expect { _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: old)) } throws: {
            "\($0)".contains("rotation of \(path) is under way")
        }
        #expect { _ = try rotating.rotateKey(to: PersonalDataCipher(key: .random()), actor: "operator") } throws: {
            "\($0)".contains("a rotation to another key is under way")
        }
        let resumed = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: old), verifyingKey: false)
            .rotateKey(to: PersonalDataCipher(key: new), actor: "operator", batchSize: 50)
        #expect(resumed == .init(resealed: 120, total: 120, finished: true))

        #expect { _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: old)) } throws: { "\($0)".contains("does not match") }
        let store = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: new))
        for id in Int64(1)...120 {
            let record = try #require(try await store.volunteer(id: id, unmasked: true, actor: "t", requestID: "r"))
            #expect(record.idNumber == RegistryFixtures.idNumber(sequence: Int(id)))
            #expect(record.phone == "1381234\(String(format: "%04d", id))")
        }
        let again = DirectedBatch(batchID: "second", unitCode: "DEPT", category: 4,
                                  rows: [DirectedBatch.Row(number: 1, name: "人7", idNumber: RegistryFixtures.idNumber(sequence: 7))])
        await #expect {
            _ = try await store.registerBatch(again, plan: .townPlan2010, actor: "t", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["ALREADY_REGISTERED"] }
        let replay = DirectedBatch(batchID: "first", unitCode: "DEPT", category: 4, rows: again.rows)
        await #expect {
            _ = try await store.registerBatch(replay, plan: .townPlan2010, actor: "t", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.message.contains("before the data key was rotated") == true }
        #expect(try await store.auditLog().contains { $0.action == "registry.rotateDataKey" })
    }
}

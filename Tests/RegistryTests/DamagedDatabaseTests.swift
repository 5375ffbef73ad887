import Foundation
import GRDB
import Logging
import PinganPersonalData
import PinganRPC
import PinganServiceKit
import PinganStore
import PinganTestSupport
import Registry
import Testing

@Suite("A damaged database is noticed, and not served")
struct DamagedDatabaseTests {
    @Test("the quick check finds 64 KiB overwritten, and the store is marked damaged")
    func quickCheckFindsDamage() async throws {
        let (path, key) = try await RegistryFixtures.damagedDatabase()
        let store = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: PersonalDataKey(contentsOf: key)))
        guard case .damaged(let problems) = await store.health.quickCheck(within: .seconds(10)) else {
            Issue.record("the damage was not found"); return
        }
        #expect(!problems.isEmpty)
        #expect(store.health.damageReport != nil)
    }

    @Test("a file damaged where the schema lives is refused when opened, naming it and what to do")
    func damagedSchemaRefused() async throws {
        let path = try await RegistryFixtures.damagedDatabase(at: 4 * 1024).database
        #expect {
            _ = try RegistryStore.open(path: path, cipher: PersonalDataCipher(key: .random()))
        } throws: { error in
            "\(error)".hasPrefix("database \(path) is damaged (") && "\(error)".contains("restore it from a backup")
        }
    }

    @Test("an intact database passes both checks")
    func intact() async throws {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        #expect(await store.health.quickCheck(within: .seconds(10)) == .intact)
        #expect(await store.health.integrityCheck() == .intact)
    }

    @Test("once a handler meets corruption, every call but Health, Reflection and Audit is refused with DATABASE_DAMAGED")
    func gateRefusesAfterCorruption() throws {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        let gate = DamageGate(health: store.health, logger: Logger(label: "test"))
        #expect(gate.refusal(for: RegistryMethodsForTests.getVolunteer) == nil)
        gate.handlerFailed(RPCError(.internal, "not a database error"))
        #expect(gate.refusal(for: RegistryMethodsForTests.getVolunteer) == nil)
        gate.handlerFailed(DatabaseError(resultCode: .SQLITE_CORRUPT, message: "database disk image is malformed"))
        let refusal = gate.refusal(for: RegistryMethodsForTests.getVolunteer)
        #expect(refusal?.code == .unavailable && refusal?.details?.reason == DamageGate.reason)
        #expect(refusal?.message.contains("malformed") == false, "what SQLite said stays in the log")
        #expect(gate.refusal(for: HealthService.check) == nil && gate.refusal(for: AuditService.listEntries) == nil)
    }
}

/// A method descriptor of the registry, without depending on its contract target here.
enum RegistryMethodsForTests {
    static let getVolunteer = MethodDescriptor(service: "pingan.registry.v1.Registry", method: "GetVolunteer", access: .anyRole)
}

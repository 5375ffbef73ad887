@testable import Duty
import Foundation
import GRDB
import Logging
import PinganDutyContracts
import PinganPersonalData
import PinganRPC
import PinganRPCTesting
import PinganServiceKit
import PinganStore
import Testing

/// Key persons are seen by the roles allowed to see them and nobody else: a clerk is told
/// PERMISSION_DENIED, not shown an empty list, and the attempt is on record; their personal
/// data is sealed at rest and a wrong key never opens it.
@Suite("Duty: key persons")
struct KeyPersonTests {
    struct Fixture {
        var store: DutyStore
        var path: String

        /// Duty as the host builds it: refusals to the audit log, the Audit RPC served.
        func client(_ role: Role, unit: String? = nil) -> DutyClient {
            var logger = Logger(label: "key-person-test")
            logger.logLevel = .critical
            let service = DutyService(store: store, calendar: .expo2010, directory: FakeDutyDirectory(DutyServiceTests.people))
            return DutyClient(InProcessTransport.serving([service, AuditService(trail: store.auditTrail)], as: role, unit: unit,
                                                         denials: AuditedDenials(trail: store.auditTrail, logger: logger)))
        }
    }

    static let key = PersonalDataKey.random()

    static func fixture(key: PersonalDataKey? = key) throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duty-keys-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("duty.sqlite").path
        return Fixture(store: try DutyStore.open(path: path, cipher: key.map(PersonalDataCipher.init)), path: path)
    }

    static func person(_ unit: String = "JC-001", name: String = "王某某", helper: Int64 = 0) -> Pingan_Duty_V1_AddKeyPersonRequest {
        var request = Pingan_Duty_V1_AddKeyPersonRequest()
        request.unitCode = unit
        request.category = "community_correction"
        request.name = name
        request.situation = "社区矫正期间，每周走访一次"
        request.helperVolunteerID = helper
        return request
    }

    @Test("a coordinator adds and reads their unit's key persons and records assistance; a clerk and an auditor get PERMISSION_DENIED, on record")
    func onlyAllowedRoles() async throws {
        let fixture = try Self.fixture()
        let coordinator = fixture.client(.coordinator, unit: "JC-001")
        let person = try await coordinator.addKeyPerson(Self.person(helper: 3))
        #expect(person.name == "王某某" && person.helperVolunteerID == 3)
        var assistance = Pingan_Duty_V1_RecordAssistanceRequest()
        assistance.keyPersonID = person.id
        assistance.volunteerID = 3
        assistance.day = "2010-05-06"
        assistance.kind = "visit"
        assistance.note = "上门谈心，情况稳定"
        _ = try await coordinator.recordAssistance(assistance)
        let listed = try await coordinator.listKeyPersons(Pingan_Duty_V1_ListKeyPersonsRequest())
        #expect(listed.keyPersons.map(\.assistanceCount) == [1] && listed.keyPersons.first?.lastAssistedOn == "2010-05-06")

        for (role, unit) in [(Role.clerk, "JC-001"), (.auditor, nil), (.service, nil), (.trainer, nil)] {
            let refused = await DutyServiceTests.refusal { _ = try await fixture.client(role, unit: unit).listKeyPersons(Pingan_Duty_V1_ListKeyPersonsRequest()) }
            #expect(refused?.code == .permissionDenied, "\(role)")
        }
        let clerkAdd = await DutyServiceTests.refusal { _ = try await fixture.client(.clerk, unit: "JC-001").addKeyPerson(Self.person()) }
        #expect(clerkAdd?.code == .permissionDenied)

        // Another unit's coordinator: asking for JC-001 is refused, and JC-001's person is not found.
        let other = fixture.client(.coordinator, unit: "JC-002")
        var theirs = Pingan_Duty_V1_ListKeyPersonsRequest()
        theirs.unitCode = "JC-001"
        #expect(await DutyServiceTests.refusal { _ = try await other.listKeyPersons(theirs) }?.code == .permissionDenied)
        #expect(try await other.listKeyPersons(Pingan_Duty_V1_ListKeyPersonsRequest()).keyPersons.isEmpty)
        var history = Pingan_Duty_V1_ListAssistanceRequest()
        history.keyPersonID = person.id
        #expect(await DutyServiceTests.refusal { _ = try await other.listAssistance(history) }?.code == .notFound)

        let log = try await fixture.store.auditLog()
        #expect(log.filter { $0.action == "duty.readKeyPersons" }.count == 2, "each reading is on record")
        let denials = log.filter { $0.action.hasPrefix("denied ") }.map(\.action)
        #expect(denials.filter { $0.hasSuffix("/ListKeyPersons") }.count == 5, "clerk, auditor, service, trainer, the other unit's coordinator: \(denials)")
        #expect(denials.filter { $0.hasSuffix("/AddKeyPerson") }.count == 1)
    }

    @Test("names, situations and notes are sealed at rest; a wrong key refuses to start; without a key key persons are refused, not stored in clear")
    func sealedAtRest() async throws {
        let fixture = try Self.fixture()
        _ = try await fixture.client(.admin).addKeyPerson(Self.person(name: "独一无二的名字"))
        let raw = try DatabaseQueue(path: fixture.path)
        let bytes = try await raw.read { db in try Data.fetchAll(db, sql: "SELECT name_sealed FROM key_persons") }
        #expect(!bytes.isEmpty && bytes.allSatisfy { !String(decoding: $0, as: UTF8.self).contains("独一无二") })
        let file = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        #expect(file.range(of: Data("独一无二".utf8)) == nil, "the name is nowhere in the file")
        try raw.close()

        #expect(throws: StoreError.self) { _ = try DutyStore.open(path: fixture.path, cipher: PersonalDataCipher(key: .random())) }
        let keyless = try DutyStore.open(path: fixture.path)
        let service = DutyService(store: keyless, calendar: .expo2010, directory: FakeDutyDirectory(DutyServiceTests.people))
        let refused = await DutyServiceTests.refusal {
            _ = try await DutyClient(InProcessTransport.serving([service], as: .admin)).addKeyPerson(Self.person())
        }
        #expect(refused?.code == .failedPrecondition && refused?.details?.fieldViolations.first?.rule == "NO_DATA_KEY")
    }

    @Test("a key person's category, name and helper are checked: every broken rule listed")
    func validation() async throws {
        let fixture = try Self.fixture()
        var bad = Self.person(name: "", helper: 25)
        bad.category = "suspect"
        let refused = await DutyServiceTests.refusal { _ = try await fixture.client(.admin).addKeyPerson(bad) }
        #expect(refused?.details?.fieldViolations.map(\.rule) == ["KEY_PERSON_CATEGORY", "NAME"])
        let wrongHelper = await DutyServiceTests.refusal { _ = try await fixture.client(.admin).addKeyPerson(Self.person(helper: 25)) }
        #expect(wrongHelper?.details?.fieldViolations.map(\.rule) == ["HELPER"], "volunteer 25 is of JC-002")
    }
}

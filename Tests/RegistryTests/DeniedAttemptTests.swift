import Logging
import PinganPersonalData
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTesting
import PinganServiceKit
import PinganStore
import PinganTestSupport
import Registry
import Testing

/// Asking outside one's scope is PERMISSION_DENIED, never another answer; and every refused
/// attempt - role, scope, unmasked data, a volunteer of another unit - is in the audit log, where
/// an auditor can read it.
@Suite("Refused attempts: never a different answer, always on record")
struct DeniedAttemptTests {
    struct Fixture {
        var store: RegistryStore
        var service: RegistryService
        var volunteerOfJC018: Int64

        /// The registry as the host builds it: refusals to the audit log, the Audit RPC served.
        func client(_ role: Role, unit: String? = nil) -> InProcessTransport {
            var logger = Logger(label: "denied-attempt-test")
            logger.logLevel = .critical
            return InProcessTransport.serving([service, AuditService(trail: store.auditTrail)], as: role, unit: unit,
                                              denials: AuditedDenials(trail: store.auditTrail, logger: logger))
        }
    }

    static func fixture() async throws -> Fixture {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        try await store.saveUnits([
            OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
            OrgUnit(code: "JC-017", name: "第十七居委会", kind: .residentialCommittee, parentCode: "TOWN"),
            OrgUnit(code: "JC-018", name: "第十八居委会", kind: .residentialCommittee, parentCode: "TOWN"),
        ], actor: "setup", requestID: "setup")
        let fixture = Fixture(store: store, service: RegistryService(store: store), volunteerOfJC018: 0)
        let batch = try await RegistryFixtures.register(fixture.client(.admin), batch: "b", unit: "JC-018", category: 4,
                                                       rows: [("居民", RegistryFixtures.idNumber(sequence: 7))])
        return Fixture(store: store, service: fixture.service, volunteerOfJC018: batch.firstVolunteerID)
    }

    static func denied(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("a clerk of JC-017 asking for JC-018 gets PERMISSION_DENIED from search, export and progress, not JC-017's data")
    func scopeIsNeverSubstituted() async throws {
        let fixture = try await Self.fixture()
        let clerk = RegistryClient(fixture.client(.clerk, unit: "JC-017"))
        var search = Pingan_Registry_V1_SearchVolunteersRequest()
        search.unitCode = "JC-018"
        var export = Pingan_Registry_V1_ExportVolunteersRequest()
        export.unitCode = "JC-018"
        var progress = Pingan_Registry_V1_GetProgressRequest()
        progress.unitCode = "JC-018"
        let refusals = [
            await Self.denied { _ = try await clerk.searchVolunteers(search) },
            await Self.denied { for try await _ in try await clerk.exportVolunteers(export) {} },
            await Self.denied { _ = try await clerk.getProgress(progress) },
        ]
        for refusal in refusals {
            #expect(refusal?.code == .permissionDenied)
            #expect(refusal?.message == "unit_code: a clerk of JC-017 may not look at JC-018")
        }
        search.unitCode = "JC-017"
        #expect(try await clerk.searchVolunteers(search).volunteers.isEmpty, "their own unit still answers")
        search.unitCode = ""
        #expect(try await clerk.searchVolunteers(search).volunteers.isEmpty, "no unit means their own")
    }

    @Test("every refusal is in the audit log with who, what, why and the request id; an auditor reads them, a clerk may not")
    func refusalsOnRecord() async throws {
        let fixture = try await Self.fixture()
        let clerk = RegistryClient(fixture.client(.clerk, unit: "JC-017"))
        var options = CallOptions()
        options.metadata.requestID = "req-denied-1"
        var search = Pingan_Registry_V1_SearchVolunteersRequest()
        search.unitCode = "JC-018"
        _ = await Self.denied { _ = try await clerk.searchVolunteers(search, options: options) }
        var get = Pingan_Registry_V1_GetVolunteerRequest()
        get.id = fixture.volunteerOfJC018
        #expect(await Self.denied { _ = try await clerk.getVolunteer(get) }?.code == .notFound, "another unit's volunteer does not exist for the clerk")
        get.unmasked = true
        #expect(await Self.denied { _ = try await clerk.getVolunteer(get) }?.code == .permissionDenied)
        _ = await Self.denied { _ = try await clerk.saveUnits(RegistryFixtures.units()) }

        let auditor = fixture.client(.auditor)
        var request = Pingan_Audit_V1_ListEntriesRequest()
        request.deniedOnly = true
        let page: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, request)
        let entries = page.entries
        #expect(entries.map(\.action) == [
            "denied /pingan.registry.v1.Registry/SearchVolunteers", "denied /pingan.registry.v1.Registry/GetVolunteer",
            "denied /pingan.registry.v1.Registry/GetVolunteer", "denied /pingan.registry.v1.Registry/SaveUnits",
        ])
        #expect(entries.allSatisfy { $0.actor == "cn:tester-clerk-JC-017" && !$0.at.isEmpty })
        #expect(entries[0].requestID == "req-denied-1")
        #expect(entries[0].target == "PERMISSION_DENIED: unit_code: a clerk of JC-017 may not look at JC-018")
        #expect(entries[1].target == "NOT_FOUND answered: volunteer \(fixture.volunteerOfJC018) is outside the caller's unit JC-017")
        #expect(entries[2].target.hasPrefix("PERMISSION_DENIED: role clerk may not read unmasked"))
        #expect(entries[3].target.hasPrefix("PERMISSION_DENIED: role clerk may not call /pingan.registry.v1.Registry/SaveUnits"))

        let clerkReading = await Self.denied {
            let _: Pingan_Audit_V1_EntryPage = try await fixture.client(.clerk, unit: "JC-017").unary(AuditService.listEntries, request)
        }
        #expect(clerkReading?.code == .permissionDenied)
        let after: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, request)
        #expect(after.entries.count == 5, "reading the log as a clerk is itself a refused attempt on record")
        let everything: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, Pingan_Audit_V1_ListEntriesRequest())
        #expect(everything.entries.contains { $0.action == "registry.registerBatch" }, "mutations are in the same log")
    }

    @Test("the audit log pages: next_after_sequence resumes it, page_size is bounded")
    func auditPaging() async throws {
        let fixture = try await Self.fixture()
        let auditor = fixture.client(.auditor)
        var request = Pingan_Audit_V1_ListEntriesRequest()
        request.pageSize = 2
        let first: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, request)
        #expect(first.entries.count == 2 && first.nextAfterSequence == first.entries[1].sequence)
        request.afterSequence = first.nextAfterSequence
        let second: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, request)
        #expect(second.entries.first.map { $0.sequence > first.nextAfterSequence } == true)
        request.pageSize = 1001
        let tooLarge = await Self.denied { let _: Pingan_Audit_V1_EntryPage = try await auditor.unary(AuditService.listEntries, request) }
        #expect(tooLarge?.code == .invalidArgument && tooLarge?.message.hasPrefix("page_size: must be 1-1000") == true)
    }
}

import Foundation
import Logging
import PinganPersonalData
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Registry
import Testing

@Suite("Registry over mutual TLS", .timeLimit(.minutes(2)))
struct RegistryServiceTests {
    typealias Request = Pingan_Registry_V1_RegisterBatchRequest

    static func idNumber(sequence: Int) -> String {
        let body = "310101" + "19800101" + String(format: "%03d", sequence % 1000)
        return body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
    }

    static func units() -> Pingan_Registry_V1_SaveUnitsRequest {
        var request = Pingan_Registry_V1_SaveUnitsRequest()
        request.units = [("TOWN", "某镇", "town", ""), ("DEPT-ZZB", "综治办", "department", "TOWN"), ("JC-017", "第十七居委会", "residential_committee", "TOWN")]
            .map { code, name, kind, parent in
                var unit = Pingan_Registry_V1_OrgUnit()
                unit.code = code
                unit.name = name
                unit.kind = kind
                unit.parentCode = parent
                return unit
            }
        return request
    }

    /// Streams a header and `rows`, numbered from 1.
    static func register(
        _ connection: RPCConnection, batch: String, unit: String, category: Int32, rows: [(String, String)]
    ) async throws -> Pingan_Registry_V1_RegisterBatchResponse {
        try await connection.clientStreaming(RegistryMethods.registerBatch) { (writer: RequestStreamWriter<Request>) in
            var header = Request()
            header.header.batchID = batch
            header.header.unitCode = unit
            header.header.category = category
            try await writer.write(header)
            for (name, id) in rows {
                var row = Request()
                row.row.name = name
                row.row.idNumber = id
                try await writer.write(row)
            }
        }
    }

    @Test("the real pingan-registry registers a batch, answers masked and unmasked, and refuses bad rows with details")
    func endToEnd() async throws {
        let flags = ExecutableTests.tlsFlags + (try ExecutableTests.storageFlags())
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + flags)
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: "client"))

        let saved: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, Self.units())
        #expect(saved.saved == 3)

        let rows = (1...500).map { ("职工\($0)", Self.idNumber(sequence: $0)) }
        let result = try await Self.register(connection, batch: "zzb-1", unit: "DEPT-ZZB", category: 1, rows: rows)
        #expect(result.accepted == 500)
        #expect(!result.replayed)
        let again = try await Self.register(connection, batch: "zzb-1", unit: "DEPT-ZZB", category: 1, rows: rows)
        #expect(again.replayed && again.firstVolunteerID == result.firstVolunteerID)

        var get = Pingan_Registry_V1_GetVolunteerRequest()
        get.id = result.firstVolunteerID
        let masked: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        #expect(masked.idNumber == "3101**********" + Self.idNumber(sequence: 1).suffix(4))
        #expect(masked.name == "职工1")
        get.unmasked = true
        let full: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        #expect(full.idNumber == Self.idNumber(sequence: 1))

        var bad = (501...510).map { ("职工\($0)", Self.idNumber(sequence: $0)) }
        bad[3].1 = "110105194912310023"
        bad[6].1 = Self.idNumber(sequence: 7)  // registered in the first batch
        await #expect {
            _ = try await Self.register(connection, batch: "zzb-2", unit: "DEPT-ZZB", category: 1, rows: bad)
        } throws: { error in
            guard let error = error as? RPCError, error.code == .invalidArgument else { return false }
            let fields = error.details?.fieldViolations.map(\.field) ?? []
            return fields == ["rows[4].id_number", "rows[7].id_number"]
                && error.details?.fieldViolations.map(\.rule) == ["GB11643_CHECK_DIGIT", "ALREADY_REGISTERED"]
                && error.message.hasPrefix("batch zzb-2 refused, nothing registered: 2 problems, first rows[4].id_number: check digit")
        }
        var export = Pingan_Registry_V1_ExportVolunteersRequest()
        let exported: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(RegistryMethods.exportVolunteers, export)
        var ids: [Int64] = []
        for try await volunteer in exported {
            #expect(volunteer.idNumber.contains("**********"))
            ids.append(volunteer.id)
        }
        #expect(ids == Array(result.firstVolunteerID..<(result.firstVolunteerID + 500)))
        export.category = 2
        let none: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(RegistryMethods.exportVolunteers, export)
        var count = 0
        for try await _ in none { count += 1 }
        #expect(count == 0)

        get.id = result.firstVolunteerID + 500
        await #expect {
            let _: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        } throws: { ($0 as? RPCError)?.code == .notFound }
        await connection.close()
    }

    /// An in-process registry whose ACL makes the test client a clerk of JC-017.
    static func clerkServer() async throws -> (RPCServer, RPCConnection, RegistryStore) {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        var router = Router()
        RegistryService(store: store).register(with: &router)
        var acl = AccessControlList()
        try acl.add(match: "cn:town-office", caller: Caller(role: .clerk, unitScope: "JC-017", matchedBy: "cn:town-office"))
        var logger = Logger(label: "registry-test")
        logger.logLevel = .critical
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: "127.0.0.1", port: 0, tls: TestCertificates.configuration(.server, identity: "server")),
            router: router, accessControl: AccessControl(acl), logger: logger)
        try await store.saveUnits([
            OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
            OrgUnit(code: "DEPT-ZZB", name: "综治办", kind: .department, parentCode: "TOWN"),
            OrgUnit(code: "JC-017", name: "第十七居委会", kind: .residentialCommittee, parentCode: "TOWN"),
            OrgUnit(code: "JC-018", name: "第十八居委会", kind: .residentialCommittee, parentCode: "TOWN"),
        ], actor: "setup", requestID: "setup")
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: server.port, tls: TestCertificates.context(.client, identity: "client"))
        return (server, connection, store)
    }

    @Test("a clerk may not register for another unit, save units, or read unmasked numbers")
    func clerkScope() async throws {
        let (server, connection, store) = try await Self.clerkServer()
        await #expect {
            _ = try await Self.register(connection, batch: "b", unit: "DEPT-ZZB", category: 1, rows: [("张三", Self.idNumber(sequence: 1))])
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .permissionDenied && error.message == "a clerk of JC-017 may not register people for DEPT-ZZB"
        }
        await #expect {
            let _: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, Self.units())
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        var get = Pingan_Registry_V1_GetVolunteerRequest()
        get.id = 1
        get.unmasked = true
        await #expect {
            let _: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        } throws: { ($0 as? RPCError)?.message == "role clerk may not read unmasked ID and phone numbers (admin only)" }

        var progressRequest = Pingan_Registry_V1_GetProgressRequest()
        progressRequest.unitCode = "DEPT-ZZB"  // asks for another unit: gets its own
        let progress: Pingan_Registry_V1_Progress = try await connection.unary(RegistryMethods.getProgress, progressRequest)
        #expect(progress.unitCode == "JC-017")
        #expect(progress.totalQuota == 20, "a residential committee's own quota: 20 building guards")
        #expect(progress.categories.count == 9)

        // The office registered people in two units; the clerk's export holds only their own.
        for (unit, range, category) in [("DEPT-ZZB", 1...10, 1), ("JC-017", 11...15, 6)] {
            let rows = range.map { DirectedBatch.Row(number: $0 - range.lowerBound + 1, name: "人\($0)", idNumber: Self.idNumber(sequence: $0)) }
            _ = try await store.registerBatch(DirectedBatch(batchID: unit, unitCode: unit, category: category, rows: rows),
                                              plan: .townPlan2010, actor: "office", requestID: "r")
        }
        let exported: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(
            RegistryMethods.exportVolunteers, Pingan_Registry_V1_ExportVolunteersRequest())
        var units: [String] = []
        for try await volunteer in exported { units.append(volunteer.unitCode) }
        #expect(units == Array(repeating: "JC-017", count: 5))
        await server.close()
    }

    @Test("a batch must start with its header")
    func headerFirst() async throws {
        let (server, connection, _) = try await Self.clerkServer()
        await #expect {
            let _: Pingan_Registry_V1_RegisterBatchResponse = try await connection.clientStreaming(RegistryMethods.registerBatch) { (writer: RequestStreamWriter<Request>) in
                var row = Request()
                row.row.name = "张三"
                try await writer.write(row)
            }
        } throws: { ($0 as? RPCError)?.message == "header: the first message of a batch must be its header" }
        await server.close()
    }

    static func application(unit: String = "JC-017", born: String = "1952-04-09", sequence: Int = 901) -> Pingan_Registry_V1_SubmitApplicationRequest {
        let body = "310101" + born.filter { $0 != "-" } + String(format: "%03d", sequence)
        var request = Pingan_Registry_V1_SubmitApplicationRequest()
        request.unitCode = unit
        request.name = "钱玉兰"
        request.idNumber = body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        request.birthDate = born
        request.residency = "shanghai_household"
        request.declaresGoodHealth = true
        request.willingToServe = true
        request.hasTimeToServe_p = true
        request.appliedOn = "2009-10-15"
        return request
    }

    @Test("a clerk takes applications at their committee and makes the committee's decision; the office's is not theirs")
    func applicationsOverRPC() async throws {
        let (server, connection, _) = try await Self.clerkServer()
        let applied: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application())
        #expect(applied.status == "applied")

        var decision = Pingan_Registry_V1_DecideApplicationRequest()
        decision.volunteerID = applied.volunteerID
        decision.decision = "committee_accept"
        let accepted: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision)
        #expect(accepted.status == "committee_accepted")
        decision.decision = "office_approve"
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision)
        } throws: { ($0 as? RPCError)?.message == "approving at the town office is for the town office only" }

        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(unit: "JC-018"))
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }

        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(
                RegistryMethods.submitApplication, Self.application(born: "1943-10-15", sequence: 902))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .failedPrecondition
                && error.message == "application refused: applicant.birth_date: age 66 is above 65 and no waiver was given"
                && error.details?.fieldViolations.map(\.field) == ["applicant.birth_date"]
        }
        var waived = Self.application(born: "1943-10-15", sequence: 903)
        waived.ageWaiverReason = "退休民警"
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, waived)
        } throws: { ($0 as? RPCError)?.message == "age_waiver_reason: only the town office may waive the age limits" }
        await server.close()
    }

    @Test("a retry with the same idempotency key gets the first answer; the key reused for another request is refused")
    func idempotencyKeys() async throws {
        let (server, connection, _) = try await Self.clerkServer()
        var metadata = Metadata()
        metadata.idempotencyKey = "apply-7f3a"
        let options = CallOptions(metadata: metadata)
        let first: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 911), options: options)
        let retry: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 911), options: options)
        #expect(retry.volunteerID == first.volunteerID)
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 912), options: options)
        } throws: { ($0 as? RPCError)?.message == "metadata idempotency-key 'apply-7f3a' was already used for a different request" }

        var decision = Pingan_Registry_V1_DecideApplicationRequest()
        decision.volunteerID = first.volunteerID
        decision.decision = "committee_accept"
        metadata.idempotencyKey = "accept-1"
        for _ in 0..<2 {
            // Without the key, the second accept would be refused: the applicant is no longer 'applied'.
            let accepted: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(
                RegistryMethods.decideApplication, decision, options: CallOptions(metadata: metadata))
            #expect(accepted.status == "committee_accepted")
        }
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision)
        } throws: { ($0 as? RPCError)?.code == .failedPrecondition }
        await server.close()
    }

    @Test("search, teams, transfers and history over RPC stay inside the clerk's unit; bad input names the field")
    func teamsAndSearchOverRPC() async throws {
        let (server, connection, store) = try await Self.clerkServer()
        let plan = RecruitmentPlan.townPlan2010
        for (batch, unit, range) in [("a", "JC-017", 1...12), ("b", "JC-018", 13...15)] {
            let rows = range.map { DirectedBatch.Row(number: $0 - range.lowerBound + 1, name: "队员\($0)", idNumber: Self.idNumber(sequence: $0)) }
            _ = try await store.registerBatch(DirectedBatch(batchID: batch, unitCode: unit, category: 5, rows: rows), plan: plan, actor: "office", requestID: "r")
        }

        var search = Pingan_Registry_V1_SearchVolunteersRequest()
        search.pageSize = 5
        var ids: [Int64] = []
        repeat {
            let page: Pingan_Registry_V1_VolunteerPage = try await connection.unary(RegistryMethods.searchVolunteers, search)
            ids += page.volunteers.map(\.id)
            search.pageToken = page.nextPageToken
        } while !search.pageToken.isEmpty
        #expect(ids == Array(1...12), "a clerk's search covers their own unit only")

        search.pageToken = "bm9wZQ=="
        await #expect {
            let _: Pingan_Registry_V1_VolunteerPage = try await connection.unary(RegistryMethods.searchVolunteers, search)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .invalidArgument && error.message.hasPrefix("search refused: page_token: ")
        }
        search.pageToken = ""
        search.status = "retired"
        await #expect {
            let _: Pingan_Registry_V1_VolunteerPage = try await connection.unary(RegistryMethods.searchVolunteers, search)
        } throws: { ($0 as? RPCError)?.message.hasPrefix("status: 'retired' is not one of applied") == true }

        var team = Pingan_Registry_V1_SaveTeamRequest()
        team.unitCode = "JC-017"
        team.name = "第一巡逻队"
        team.leaderVolunteerID = 1
        let saved: Pingan_Registry_V1_Team = try await connection.unary(RegistryMethods.saveTeam, team)
        #expect(saved.leaderName == "队员1" && saved.members == 1)
        team.unitCode = "JC-018"
        team.leaderVolunteerID = 0
        await #expect {
            let _: Pingan_Registry_V1_Team = try await connection.unary(RegistryMethods.saveTeam, team)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .permissionDenied && error.details?.fieldViolations.first?.field == "unit_code"
        }

        var transfer = Pingan_Registry_V1_TransferVolunteerRequest()
        transfer.volunteerID = 2
        transfer.toTeamID = saved.id
        transfer.reason = "编入巡逻队"
        let moved: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.transferVolunteer, transfer)
        #expect(moved.teamID == saved.id && moved.teamName == "第一巡逻队")
        transfer.volunteerID = 13
        await #expect {
            let _: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.transferVolunteer, transfer)
        } throws: { ($0 as? RPCError)?.code == .notFound }

        var history = Pingan_Registry_V1_GetVolunteerHistoryRequest()
        history.volunteerID = 2
        let entries: Pingan_Registry_V1_VolunteerHistory = try await connection.unary(RegistryMethods.getVolunteerHistory, history)
        #expect(entries.entries.map(\.kind) == ["team"])
        #expect(entries.entries.first?.reason == "编入巡逻队" && entries.entries.first?.to == String(saved.id))
        history.volunteerID = 13
        await #expect {
            let _: Pingan_Registry_V1_VolunteerHistory = try await connection.unary(RegistryMethods.getVolunteerHistory, history)
        } throws: { ($0 as? RPCError)?.code == .notFound }

        let teams: Pingan_Registry_V1_TeamList = try await connection.unary(RegistryMethods.listTeams, Pingan_Registry_V1_ListTeamsRequest())
        #expect(teams.teams.map(\.members) == [2])
        await #expect {
            let _: Pingan_Registry_V1_StaffAssignment = try await connection.unary(RegistryMethods.assignStaffRole, Pingan_Registry_V1_AssignStaffRoleRequest())
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }

        let campaign: Pingan_Registry_V1_CampaignInfo = try await connection.unary(RegistryMethods.getCampaign, Pingan_Registry_V1_GetCampaignRequest())
        #expect(campaign.totalQuota == 6249 && campaign.phases.map(\.key) == ["recruitment", "pre_job_training", "post_training", "expo"])
        #expect(campaign.categories.last?.quotaPerResidentialCommittee == 20)
        await server.close()
    }
}

import Foundation
import PinganPersonalData
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTesting
import PinganTestSupport
import Registry
import Testing

/// The registry's methods through the in-process transport: the real router, ACL checks and
/// error mapping, no sockets. The wire itself is tested in IntegrationTests.
@Suite("Registry methods: scope, applications, idempotency, search and teams")
struct RegistryServiceTests {
    typealias Request = Pingan_Registry_V1_RegisterBatchRequest

    /// An in-process registry, called as a clerk of JC-017 (or as `role`, town-wide).
    static func clerkServer(role: Role = .clerk) async throws -> (InProcessTransport, RegistryStore) {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        let transport = InProcessTransport.serving([RegistryService(store: store)], as: role, unit: role == .clerk ? "JC-017" : nil)
        try await store.saveUnits([
            OrgUnit(code: "TOWN", name: "某镇", kind: .town, parentCode: nil),
            OrgUnit(code: "DEPT-ZZB", name: "综治办", kind: .department, parentCode: "TOWN"),
            OrgUnit(code: "JC-017", name: "第十七居委会", kind: .residentialCommittee, parentCode: "TOWN"),
            OrgUnit(code: "JC-018", name: "第十八居委会", kind: .residentialCommittee, parentCode: "TOWN"),
        ], actor: "setup", requestID: "setup")
        return (transport, store)
    }

    @Test("a clerk may not register for another unit, save units, or read unmasked numbers")
    func clerkScope() async throws {
        let (connection, store) = try await Self.clerkServer()
        await #expect {
            _ = try await RegistryFixtures.register(connection, batch: "b", unit: "DEPT-ZZB", category: 1, rows: [("张三", RegistryFixtures.idNumber(sequence: 1))])
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .permissionDenied && error.message == "a clerk of JC-017 may not register people for DEPT-ZZB"
        }
        await #expect {
            let _: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        var get = Pingan_Registry_V1_GetVolunteerRequest()
        get.id = 1
        get.unmasked = true
        await #expect {
            let _: Pingan_Registry_V1_Volunteer = try await connection.unary(RegistryMethods.getVolunteer, get)
        } throws: { ($0 as? RPCError)?.message == "role clerk may not read unmasked ID and phone numbers (admin only)" }

        var progressRequest = Pingan_Registry_V1_GetProgressRequest()
        progressRequest.unitCode = "DEPT-ZZB"  // another unit: refused, never answered with another
        await #expect {
            let _: Pingan_Registry_V1_Progress = try await connection.unary(RegistryMethods.getProgress, progressRequest)
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        progressRequest.unitCode = ""  // none: their own
        let progress: Pingan_Registry_V1_Progress = try await connection.unary(RegistryMethods.getProgress, progressRequest)
        #expect(progress.unitCode == "JC-017")
        #expect(progress.totalQuota == 20, "a residential committee's own quota: 20 building guards")
        #expect(progress.categories.count == 9)

        // The office registered people in two units; the clerk's export holds only their own.
        for (unit, range, category) in [("DEPT-ZZB", 1...10, 1), ("JC-017", 11...15, 6)] {
            let rows = range.map { DirectedBatch.Row(number: $0 - range.lowerBound + 1, name: "人\($0)", idNumber: RegistryFixtures.idNumber(sequence: $0)) }
            _ = try await store.registerBatch(DirectedBatch(batchID: unit, unitCode: unit, category: category, rows: rows),
                                              plan: .townPlan2010, actor: "office", requestID: "r")
        }
        let exported: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(
            RegistryMethods.exportVolunteers, Pingan_Registry_V1_ExportVolunteersRequest())
        var units: [String] = []
        for try await volunteer in exported { units.append(volunteer.unitCode) }
        #expect(units == Array(repeating: "JC-017", count: 5))
    }

    @Test("a batch must start with its header")
    func headerFirst() async throws {
        let (connection, _) = try await Self.clerkServer()
        await #expect {
            let _: Pingan_Registry_V1_RegisterBatchResponse = try await connection.clientStreaming(RegistryMethods.registerBatch) { (writer: RequestStreamWriter<Request>) in
                var row = Request()
                row.row.name = "张三"
                try await writer.write(row)
            }
        } throws: { ($0 as? RPCError)?.message == "header: the first message of a batch must be its header" }
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
        let (connection, _) = try await Self.clerkServer()
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
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .permissionDenied && error.message == "decision refused: decision: approving at the town office is for the town office only"
        }

        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(unit: "JC-018"))
        } throws: { ($0 as? RPCError)?.code == .permissionDenied }

        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(
                RegistryMethods.submitApplication, Self.application(born: "1943-10-15", sequence: 902))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .invalidArgument
                && error.message == "application refused: applicant.birth_date: age 66 is above 65 and no waiver was given"
                && error.details?.fieldViolations.map(\.field) == ["applicant.birth_date"]
        }
        var waived = Self.application(born: "1943-10-15", sequence: 903)
        waived.ageWaiverReason = "退休民警"
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, waived)
        } throws: { ($0 as? RPCError)?.message == "age_waiver_reason: only the town office may waive the age limits" }
    }

    @Test("a retry with the same idempotency key gets the first answer; the key reused for another request is refused")
    func idempotencyKeys() async throws {
        let (connection, _) = try await Self.clerkServer()
        var metadata = Metadata()
        metadata.idempotencyKey = "apply-7f3a"
        let options = CallOptions(metadata: metadata)
        let first: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 911), options: options)
        let retry: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 911), options: options)
        #expect(retry.volunteerID == first.volunteerID)
        await #expect {
            let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, Self.application(sequence: 912), options: options)
        } throws: { ($0 as? RPCError)?.message == "request refused: metadata.idempotency-key: 'apply-7f3a' was already used for a different request" }

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
    }

    @Test("search, teams, transfers and history over RPC stay inside the clerk's unit; bad input names the field")
    func teamsAndSearchOverRPC() async throws {
        let (connection, store) = try await Self.clerkServer()
        let plan = RecruitmentPlan.townPlan2010
        for (batch, unit, range) in [("a", "JC-017", 1...12), ("b", "JC-018", 13...15)] {
            let rows = range.map { DirectedBatch.Row(number: $0 - range.lowerBound + 1, name: "队员\($0)", idNumber: RegistryFixtures.idNumber(sequence: $0)) }
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
    }

    @Test("a batch of people already registered, or a batch id reused with other rows, is ALREADY_EXISTS; with a bad row, INVALID_ARGUMENT")
    func batchRefusalCodes() async throws {
        let (registry, _) = try await Self.clerkServer(role: .admin)
        let people = (1...3).map { ("职工\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        _ = try await RegistryFixtures.register(registry, batch: "first", unit: "DEPT-ZZB", category: 1, rows: people)
        func refusal(_ batch: String, _ rows: [(String, String)]) async -> RPCError? {
            do {
                _ = try await RegistryFixtures.register(registry, batch: batch, unit: "DEPT-ZZB", category: 1, rows: rows)
                return nil
            } catch {
                return error as? RPCError
            }
        }
        let again = await refusal("second", people)
        #expect(again?.code == .alreadyExists)
        #expect(again?.details?.fieldViolations.map(\.rule) == ["ALREADY_REGISTERED", "ALREADY_REGISTERED", "ALREADY_REGISTERED"])
        #expect(again?.details?.fieldViolations.map(\.field) == ["rows[1].id_number", "rows[2].id_number", "rows[3].id_number"])
        let reused = await refusal("first", Array(people.prefix(2)))
        #expect(reused?.code == .alreadyExists && reused?.details?.fieldViolations.map(\.rule) == ["BATCH_ID_REUSED"])
        let mixed = await refusal("third", [people[0], ("新人", RegistryFixtures.badIDNumber(sequence: 9))])
        #expect(mixed?.code == .invalidArgument, "bad input comes first: fix the file, then the duplicates")
        #expect(mixed?.details?.reason == "BATCH_REFUSED")
    }
}

import PinganCampaign
import ArgumentParser
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS
import Registry

/// `pingan-registry-demo`: loads the town plan's units and a synthetic corps into a running
/// registry through its API, in directed batches. Idempotent: batch ids are fixed per seed,
/// so running it again registers nothing twice.
@main
struct RegistryDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-registry-demo", abstract: "Load the town plan's structure and a synthetic corps into pingan-registry.")

    @Option var host = "127.0.0.1"
    @Option var port = 7401
    @Option(help: "Client certificate (an admin in the registry's ACL).") var cert: String
    @Option var key: String
    @Option var ca: String
    @Option(help: "Seed of the synthetic corps.") var seed: UInt64 = 2010
    @Option(help: "The day the corps is registered, YYYY-MM-DD.") var date = "2009-10-31"

    typealias Request = Pingan_Registry_V1_RegisterBatchRequest

    func run() async throws {
        guard let day = CalendarDay(iso: date) else { throw ValidationError("--date '\(date)' is not YYYY-MM-DD") }
        let tls = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca))
        let connection = try await RPCConnection.connect(host: host, port: port, tls: tls)
        do {
            try await load(through: connection, on: day)
            try await organise(through: connection)
            await connection.close()
        } catch {
            await connection.close()
            throw error
        }
    }

    private func load(through connection: RPCConnection, on day: CalendarDay) async throws {
        let structure = TownStructure.townPlan2010
        var units = Pingan_Registry_V1_SaveUnitsRequest()
        units.units = structure.units.map { unit in
            var proto = Pingan_Registry_V1_OrgUnit()
            proto.code = unit.code
            proto.name = unit.name
            proto.kind = unit.kind.rawValue
            proto.parentCode = unit.parentCode ?? ""
            proto.responsible = unit.responsible ?? ""
            return proto
        }
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await RegistryClient(connection).saveUnits(units)

        var corps = SyntheticCorps(seed: seed)
        let batches = corps.directedBatches(plan: .townPlan2010, structure: structure, on: day)
        var registered = 0, replayed = 0
        for batch in batches {
            let response: Pingan_Registry_V1_RegisterBatchResponse = try await RegistryClient(connection).registerBatch {
                (writer: RequestStreamWriter<Request>) in
                var header = Request()
                header.header.batchID = batch.batchID
                header.header.unitCode = batch.unitCode
                header.header.category = Int32(batch.category)
                try await writer.write(header)
                for row in batch.rows {
                    var message = Request()
                    message.row.name = row.name
                    message.row.idNumber = row.idNumber
                    message.row.phone = row.phone ?? ""
                    message.row.subcategory = row.subcategory ?? ""
                    try await writer.write(message)
                }
            }
            if response.replayed { replayed += Int(response.accepted) } else { registered += Int(response.accepted) }
        }
        print("\(structure.units.count) units; \(batches.count) directed batches: \(registered) volunteers registered, \(replayed) already there")

        var submitted = 0, refused = 0, already = 0
        for (unit, applicant, phone, fate) in corps.publicApplications(structure: structure, on: day) {
            var request = Pingan_Registry_V1_SubmitApplicationRequest()
            request.unitCode = unit
            request.name = applicant.name
            if case .residentID(let id) = applicant.identity { request.idNumber = id }
            request.birthDate = applicant.birthDate.description
            switch applicant.residency {
            case .shanghaiHousehold: request.residency = "shanghai_household"
            case .otherProvince(let since): request.residency = "other_province"; request.residentSince = since.description
            case .foreign(let since): request.residency = "foreign"; request.residentSince = since.description
            }
            request.hasStableJob_p = true
            request.hasFixedResidence_p = true
            request.declaresGoodHealth = true
            request.willingToServe = true
            request.hasTimeToServe_p = true
            request.phone = phone
            request.appliedOn = day.description
            let status: Pingan_Registry_V1_ApplicationStatus
            do {
                status = try await RegistryClient(connection).submitApplication(request)
            } catch let error as RPCError where error.code == .invalidArgument {
                // Refused for an eligibility rule: the rules' refusal, every failed rule listed.
                refused += 1
                continue
            } catch let error as RPCError where error.code == .alreadyExists {
                already += 1
                continue
            }
            submitted += 1
            let decisions: [(String, String)] = switch fate {
            case .approved: [("committee_accept", ""), ("office_approve", "")]
            case .awaitingOffice: [("committee_accept", "")]
            case .awaitingCommittee, .ineligible: []
            case .rejectedByCommittee(let reason): [("committee_reject", reason)]
            case .rejectedByOffice(let reason): [("committee_accept", ""), ("office_reject", reason)]
            }
            for (step, (decision, reason)) in decisions.enumerated() {
                var decide = Pingan_Registry_V1_DecideApplicationRequest()
                decide.volunteerID = status.volunteerID
                decide.decision = decision
                decide.reason = reason
                // Decided in campaign time: the committee a week after the application, the office a week later.
                decide.decidedOn = (0..<(7 * (step + 1))).reduce(day) { next, _ in next.next }.description
                let _: Pingan_Registry_V1_ApplicationStatus = try await RegistryClient(connection).decideApplication(decide)
            }
        }
        print("public applications: \(submitted) submitted and decided, \(refused) refused for a stated rule, \(already) already there")
    }

    /// The office's staff (seed: a director, deputies, an office of five with one in charge) and
    /// a building-guard team per residential committee, led by one of its volunteers. Every call
    /// carries an idempotency key, so a second run changes nothing.
    private func organise(through connection: RPCConnection) async throws {
        func options(_ key: String) -> CallOptions {
            var metadata = Metadata()
            metadata.idempotencyKey = "demo-\(seed)-\(key)"
            return CallOptions(metadata: metadata)
        }
        let staff: [(String, String, String)] = [
            ("TOWN", "王建国", "director"), ("TOWN", "陈立新", "deputy_director"), ("TOWN", "刘志刚", "deputy_director"),
            ("TOWN", "周海燕", "office_in_charge"), ("TOWN", "孙丽", "office_staff"), ("TOWN", "吴军", "office_staff"),
            ("TOWN", "郑敏", "office_staff"), ("TOWN", "冯涛", "office_staff"),
        ]
        for (index, (unit, name, role)) in staff.enumerated() {
            var request = Pingan_Registry_V1_AssignStaffRoleRequest()
            request.unitCode = unit
            request.personName = name
            request.role = role
            let _: Pingan_Registry_V1_StaffAssignment = try await RegistryClient(connection).assignStaffRole(request, options: options("staff-\(index)"))
        }

        var teams = 0, members = 0
        for unit in TownStructure.townPlan2010.units where unit.kind == .residentialCommittee {
            var search = Pingan_Registry_V1_SearchVolunteersRequest()
            search.unitCode = unit.code
            search.status = "active"
            search.pageSize = 10
            let page: Pingan_Registry_V1_VolunteerPage = try await RegistryClient(connection).searchVolunteers(search)
            guard let leader = page.volunteers.first else { continue }
            var team = Pingan_Registry_V1_SaveTeamRequest()
            team.unitCode = unit.code
            team.name = "\(unit.name)护楼队"
            team.leaderVolunteerID = leader.id
            let saved: Pingan_Registry_V1_Team = try await RegistryClient(connection).saveTeam(team, options: options("team-\(unit.code)"))
            teams += 1
            for volunteer in page.volunteers.dropFirst() {
                var transfer = Pingan_Registry_V1_TransferVolunteerRequest()
                transfer.volunteerID = volunteer.id
                transfer.toTeamID = saved.id
                transfer.reason = "编入护楼队"
                let _: Pingan_Registry_V1_Volunteer = try await RegistryClient(connection).transferVolunteer(transfer, options: options("transfer-\(volunteer.id)"))
                members += 1
            }
        }
        print("office staff: \(staff.count) roles; \(teams) building-guard teams with leaders, \(members) volunteers placed in them")
    }
}

import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry ...`: the registry's everyday operations.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry", abstract: "Recruitment: progress, search, applications, decisions, teams.",
        subcommands: [RegistryProgressCommand.self, RegistrySearchCommand.self, RegistryApplyCommand.self, RegistryDecideCommand.self,
                      RegistryTeamsCommand.self, RegistryTransferCommand.self])
}

/// `pingan registry progress`: enrolled volunteers against the quotas, by category.
struct RegistryProgressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "Recruitment against quotas, by category.")

    @OptionGroup var options: GatewayOptions

    @Option(help: "One unit's progress (against its own quota) instead of the town's.")
    var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_GetProgressRequest()
            request.unitCode = unit ?? ""
            let progress: Pingan_Registry_V1_Progress = try await session.client("registry").unary(RegistryMethods.getProgress, request, options: session.options)
            var rows: [[Value]] = progress.categories.map { category in
                [.int(category.number), .text(category.name), .text(category.mode), .int(category.quota), .int(category.enrolled),
                 .percent(part: Int64(category.enrolled), whole: Int64(category.quota))]
            }
            rows.append([.none, .text("合计 total"), .none, .int(progress.totalQuota), .int(progress.totalEnrolled),
                         .percent(part: Int64(progress.totalEnrolled), whole: Int64(progress.totalQuota))])
            session.print(Report(command: "registry progress", sections: [Section(
                id: "registry.categories", title: Text("招募进度 \(progress.unitCode)", "Recruitment \(progress.unitCode)"), table: Table(
                    columns: [.init("category", Text("类别", "#")), .init("name", Text("名称", "Category")), .init("mode", Text("方式", "Mode")),
                              .init("quota", Text("指标", "Quota")), .init("enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%"))],
                    rows: rows))]))
        }
    }
}

/// `pingan registry search`: volunteers by name, unit, category, status and team.
struct RegistrySearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Find volunteers (masked), a page at a time.")

    @OptionGroup var options: GatewayOptions
    @Option(help: "Names starting with this.") var name: String?
    @Option var unit: String?
    @Option var category: Int32?
    @Option(help: "applied, committee_accepted, active, suspended, withdrawn, rejected.") var status: String?
    @Option var team: Int64?
    @Option(help: "At most this many volunteers (1-10000).") var limit = 50

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit) must be 1-10000") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            let client = try session.client("registry")
            var request = Pingan_Registry_V1_SearchVolunteersRequest()
            request.namePrefix = name ?? ""
            request.unitCode = unit ?? ""
            request.category = category ?? 0
            request.status = status ?? ""
            request.teamID = team ?? 0
            var found: [Pingan_Registry_V1_Volunteer] = []
            repeat {
                request.pageSize = Int32(min(500, limit - found.count))
                let page: Pingan_Registry_V1_VolunteerPage = try await client.unary(RegistryMethods.searchVolunteers, request, options: session.options)
                found += page.volunteers
                request.pageToken = page.nextPageToken
            } while !request.pageToken.isEmpty && found.count < limit
            session.print(Report(command: "registry search", sections: [Section(id: "registry.volunteers", title: Text("志愿者", "Volunteers"), table: Table(
                columns: [.init("id", Text("编号", "ID")), .init("name", Text("姓名", "Name")), .init("id_number", Text("证件号码", "ID number")),
                          .init("unit", Text("单位", "Unit")), .init("category", Text("类别", "Category")), .init("status", Text("状态", "Status")),
                          .init("team", Text("队伍", "Team"))],
                rows: found.map { [.integer($0.id), .text($0.name), .text($0.idNumber), .text($0.unitCode),
                                   .text($0.subcategory.isEmpty ? "\($0.category)" : $0.subcategory), .text($0.status),
                                   $0.teamName.isEmpty ? .none : .text($0.teamName)] }))]))
        }
    }
}

/// `pingan registry apply`: a public application at a residential committee.
struct RegistryApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Submit a public application; the registry checks eligibility and lists every failed rule.")

    @OptionGroup var options: GatewayOptions
    @Option(help: "The residential committee.") var unit: String
    @Option var name: String
    @Option(help: "Mainland resident ID number.") var idNumber: String?
    @Option var passport: String?
    @Option var passportCountry: String?
    @Option(help: "YYYY-MM-DD.") var born: String
    @Option(help: "shanghai_household, other_province or foreign.") var residency = "shanghai_household"
    @Option(help: "YYYY-MM-DD, for other_province and foreign.") var residentSince: String?
    @Flag var stableJob = false
    @Flag var fixedResidence = false
    @Flag(help: "Declares good health, willingness and time to serve.") var declares = false
    @Option var phone: String?
    @Option(help: "YYYY-MM-DD.") var appliedOn: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_SubmitApplicationRequest()
            request.unitCode = unit
            request.name = name
            request.idNumber = idNumber ?? ""
            request.passportNumber = passport ?? ""
            request.passportCountry = passportCountry ?? ""
            request.birthDate = born
            request.residency = residency
            request.residentSince = residentSince ?? ""
            request.hasStableJob_p = stableJob
            request.hasFixedResidence_p = fixedResidence
            request.declaresGoodHealth = declares
            request.willingToServe = declares
            request.hasTimeToServe_p = declares
            request.phone = phone ?? ""
            request.appliedOn = appliedOn
            let status: Pingan_Registry_V1_ApplicationStatus = try await session.client("registry").unary(
                RegistryMethods.submitApplication, request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(RegistryDecideCommand.report(status))
        }
    }
}

/// `pingan registry decide ID DECISION`: committee review, office approval, suspension...
struct RegistryDecideCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide", abstract: "Review, approve, reject, suspend, reinstate or withdraw.",
        discussion: "DECISION: committee_accept, committee_reject, office_approve, office_reject, suspend, reinstate, withdraw. Rejections, suspension and withdrawal need --reason.")

    @OptionGroup var options: GatewayOptions
    @Argument var volunteer: Int64
    @Argument var decision: String
    @Option var reason: String?
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_DecideApplicationRequest()
            request.volunteerID = volunteer
            request.decision = decision
            request.reason = reason ?? ""
            let status: Pingan_Registry_V1_ApplicationStatus = try await session.client("registry").unary(
                RegistryMethods.decideApplication, request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Self.report(status))
        }
    }

    static func report(_ status: Pingan_Registry_V1_ApplicationStatus) -> Report {
        Report(command: "registry", sections: [Section(id: "registry.application", title: Text("申请", "Application"), fields: [
            Field("volunteer_id", Text("编号", "Volunteer"), .integer(status.volunteerID)), Field("status", Text("状态", "Status"), .text(status.status)),
        ])])
    }
}

/// `pingan registry teams`: teams with leaders and members.
struct RegistryTeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "teams", abstract: "Teams per unit with their leaders.")

    @OptionGroup var options: GatewayOptions
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_ListTeamsRequest()
            request.unitCode = unit ?? ""
            let teams: Pingan_Registry_V1_TeamList = try await session.client("registry").unary(RegistryMethods.listTeams, request, options: session.options)
            session.print(Report(command: "registry teams", sections: [Section(id: "registry.teams", title: Text("队伍", "Teams"), table: Table(
                columns: [.init("id", Text("编号", "ID")), .init("unit", Text("单位", "Unit")), .init("name", Text("名称", "Name")),
                          .init("leader", Text("队长", "Leader")), .init("members", Text("人数", "Members"))],
                rows: teams.teams.map { [.integer($0.id), .text($0.unitCode), .text($0.name), $0.leaderName.isEmpty ? .none : .text($0.leaderName), .int($0.members)] }))]))
        }
    }
}

/// `pingan registry transfer ID --team T --reason R`.
struct RegistryTransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Move a volunteer into a team (the move is kept in their history).")

    @OptionGroup var options: GatewayOptions
    @Argument var volunteer: Int64
    @Option var team: Int64
    @Option var reason: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_TransferVolunteerRequest()
            request.volunteerID = volunteer
            request.toTeamID = team
            request.reason = reason
            let moved: Pingan_Registry_V1_Volunteer = try await session.client("registry").unary(
                RegistryMethods.transferVolunteer, request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "registry transfer", sections: [Section(id: "registry.transfer", title: Text("调动", "Transfer"), fields: [
                Field("volunteer_id", Text("编号", "Volunteer"), .integer(moved.id)), Field("team", Text("队伍", "Team"), .text("\(moved.teamName) (\(moved.teamID))")),
                Field("unit", Text("单位", "Unit"), .text(moved.unitCode)),
            ])]))
        }
    }
}

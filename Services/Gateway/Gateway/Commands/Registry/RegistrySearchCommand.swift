import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry search`: volunteers by name, unit, category, status and team.
struct RegistrySearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Find volunteers (masked), a page at a time.")

    @OptionGroup var options: GatewayOptions
    @Option(help: "Names starting with this.") var name: String?
    @Option var unit: String?
    @Option var category: Int32?
    @Option(help: "applied, committee_accepted, active, suspended, withdrawn, rejected.") var status: String?
    @Option(help: "UNIT/name, a name only one team has, or the id") var team: String?
    @Option(help: "At most this many volunteers (1-10000).") var limit = 50

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit \(limit) must be 1-10000") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            let registry = try session.registry()
            var request = Pingan_Registry_V1_SearchVolunteersRequest()
            request.namePrefix = name ?? ""
            request.unitCode = unit ?? ""
            request.category = category ?? 0
            request.status = status ?? ""
            if let team { request.teamID = try await TeamReference.id(team, session) }
            var found: [Pingan_Registry_V1_Volunteer] = []
            repeat {
                request.pageSize = Int32(min(500, limit - found.count))
                let page = try await registry.searchVolunteers(request, options: session.options)
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

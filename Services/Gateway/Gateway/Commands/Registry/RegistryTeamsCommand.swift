import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry teams`: teams with leaders and members.
struct RegistryTeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "teams", abstract: "Teams per unit with their leaders.")

    @OptionGroup var options: GatewayOptions
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_ListTeamsRequest()
            request.unitCode = unit ?? ""
            let teams: Pingan_Registry_V1_TeamList = try await session.registry().listTeams(request, options: session.options)
            session.print(Report(command: "registry teams", sections: [Section(id: "registry.teams", title: Text("队伍", "Teams"), table: Table(
                columns: [.init("id", Text("编号", "ID")), .init("unit", Text("单位", "Unit")), .init("name", Text("名称", "Name")),
                          .init("leader", Text("队长", "Leader")), .init("members", Text("人数", "Members"))],
                rows: teams.teams.map { [.integer($0.id), .text($0.unitCode), .text($0.name), $0.leaderName.isEmpty ? .none : .text($0.leaderName), .int($0.members)] }))]))
        }
    }
}

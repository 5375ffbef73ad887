import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry transfer ID --team T --reason R`.
struct RegistryTransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Move a volunteer into a team (the move is kept in their history).")

    @OptionGroup var options: GatewayOptions
    @Argument var volunteer: Int64
    @Option(help: "UNIT/name (JC-017/巡逻一队), a name only one team has, or the id") var team: String
    @Option var reason: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Registry_V1_TransferVolunteerRequest()
            request.volunteerID = volunteer
            request.toTeamID = try await TeamReference.id(team, session)
            request.reason = reason
            let moved: Pingan_Registry_V1_Volunteer = try await session.registry().transferVolunteer(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "registry transfer", sections: [Section(id: "registry.transfer", title: Text("调动", "Transfer"), fields: [
                Field("volunteer_id", Text("编号", "Volunteer"), .integer(moved.id)), Field("team", Text("队伍", "Team"), .text("\(moved.teamName) (\(moved.teamID))")),
                Field("unit", Text("单位", "Unit"), .text(moved.unitCode)),
            ])]))
        }
    }
}

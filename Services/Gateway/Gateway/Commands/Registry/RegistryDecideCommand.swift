import ArgumentParser
import PinganRegistryContracts
import PinganRPCTransport

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
            let status: Pingan_Registry_V1_ApplicationStatus = try await session.registry().decideApplication(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Self.report(status))
        }
    }

    static func report(_ status: Pingan_Registry_V1_ApplicationStatus) -> Report {
        Report(command: "registry", sections: [Section(id: "registry.application", title: Text("申请", "Application"), fields: [
            Field("volunteer_id", Text("编号", "Volunteer"), .integer(status.volunteerID)), Field("status", Text("状态", "Status"), .text(status.status)),
        ])])
    }
}

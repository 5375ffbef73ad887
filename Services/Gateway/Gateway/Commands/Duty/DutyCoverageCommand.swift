import ArgumentParser
import PinganDutyContracts

struct DutyCoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Which residential and village committees had a staffed patrol post on each day.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "YYYY-MM-DD, inclusive") var from: String
    @Option(help: "YYYY-MM-DD, inclusive, at most 31 days after --from") var to: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_GetCoverageRequest()
            request.from = from
            request.to = to
            let report = try await session.duty().getCoverage(request, options: session.options)
            session.print(Report(command: "duty coverage", sections: [DutySection().coverageSection(report, full: true)]))
        }
    }
}

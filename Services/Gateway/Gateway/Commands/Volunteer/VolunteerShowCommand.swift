import ArgumentParser
import PinganCampaign
import PinganRPC

/// `pingan volunteer show ID`: every service that knows volunteers, asked in parallel under one
/// deadline, merged into one view.
struct VolunteerShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a volunteer as every service knows them.",
        discussion: "Exit status: 0 every service answered; 2 partial (a service was down or slow: its section says why); 3 no such volunteer; 64 usage or config error.")

    @Argument(help: "The volunteer's id.") var id: Int64
    @Option(help: "YYYY-MM-DD: the day the view is read on; duty shows that month (default: today in Shanghai).")
    var on: CalendarDay?
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let (report, notFound) = try await Self.report(id: id, on: on ?? .today(), session: session)
            session.print(report)
            if notFound {
                throw GatewayExit.refused(Text("没有编号为\(id)的志愿者", "no volunteer \(id) in your scope")(session.language))
            }
            if report.isPartial {
                throw GatewayExit.partial(Text("部分服务未回答，结果不完整", "partial answer: some services did not answer")(session.language))
            }
        }
    }

    /// The merged view, and whether the service that identifies volunteers said there is none.
    static func report(id: Int64, on day: CalendarDay, session: GatewaySession) async throws -> (Report, notFound: Bool) {
        let outcomes = await FanOut.gather(
            GatewaySections.all, titles: \.volunteerSections, town: try session.selectedTown(), clients: session.clients,
            deadline: session.deadline, language: session.language, unavailable: { $0 }
        ) { section, client, options in
            try await section.volunteer(id, on: day, client: client, options: options)
        }
        let notFound = outcomes.contains { $0.section.identifiesVolunteers && $0.failure?.code == .notFound }
        return (Report(command: "volunteer show", sections: outcomes.flatMap(\.answer)), notFound)
    }
}

import ArgumentParser
import PinganRPC

/// `pingan volunteer ...`
struct VolunteerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteer", abstract: "One volunteer across the services.", subcommands: [VolunteerShowCommand.self])
}

/// `pingan volunteer show ID`: every service that knows volunteers, asked in parallel under one
/// deadline, merged into one view.
struct VolunteerShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a volunteer as every service knows them.",
        discussion: "Exit status: 0 every service answered; 2 partial (a service was down or slow: its section says why); 3 no such volunteer; 64 usage or config error.")

    @Argument(help: "The volunteer's id.") var id: Int64
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let report = try await Self.report(id: id, session: session)
            session.print(report)
            if report.sections.first(where: { $0.id == "registry.volunteer" })?.code == RPCError.Code.notFound.description {
                throw GatewayExit.refused(Text("没有编号为\(id)的志愿者", "no volunteer \(id) in your scope")(session.language))
            }
            if report.isPartial {
                throw GatewayExit.partial(Text("部分服务未回答，结果不完整", "partial answer: some services did not answer")(session.language))
            }
        }
    }

    static func report(id: Int64, session: GatewaySession) async throws -> Report {
        let sections = await FanOut.gather(
            Plugins.volunteer, service: \.service, sections: \.sections, town: try session.selectedTown(), clients: session.clients,
            deadline: session.deadline, language: session.language, unavailable: { $0 }
        ) { plugin, client, options in
            try await plugin.volunteer(id, client: client, options: options)
        }
        return Report(command: "volunteer show", sections: sections.flatMap { $0 })
    }
}

import ArgumentParser
import Foundation

/// `pingan report`: the dashboard as a printable HTML page with charts, for meetings.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the dashboard as one printable HTML page with charts (A4, no external assets).",
        discussion: "The charts are drawn from the same figures `pingan dashboard --json` prints. Exit status as the dashboard's.")

    @OptionGroup var options: GatewayOptions
    @OptionGroup var scope: DashboardScope

    @Option(help: "The HTML file to write.")
    var out: String

    func validate() throws {
        try scope.validate(options)
    }

    func run() async throws {
        try await runGateway(options) { session in
            let day = scope.day
            let report = scope.allTowns
                ? await DashboardCommand.district(session, on: day)
                : try await DashboardCommand.town(session.selectedTown(), session, query: DashboardQuery(on: day, full: true))
            let town = scope.allTowns ? Text("全区", "District") : Text(try session.selectedTown().name, try session.selectedTown().name)
            let html = HTMLReport.render(report, title: Text("平安志愿者工作报告", "Pingan volunteer report")(session.language) + " · " + town(session.language),
                                         subtitle: Text("截至 \(day)", "As of \(day)")(session.language), language: session.language)
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw GatewayExit.usage("--out \(out): cannot be written (\(error.localizedDescription))")
            }
            FileHandle.standardError.write(Data((Text("已写入 ", "wrote ")(session.language) + out + "\n").utf8))
            if report.isPartial {
                throw GatewayExit.partial(Text("部分服务未回答，报告不完整", "partial answer: some services did not answer")(session.language))
            }
        }
    }
}

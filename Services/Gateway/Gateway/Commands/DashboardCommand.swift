import ArgumentParser
import PinganCampaign

/// `pingan dashboard`: recruitment against quotas, training against deadlines, patrol coverage,
/// activity minimums and hazards for a town,
/// or a row per town with district totals.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard", abstract: "Recruitment, training and duty for a town, or every town with district totals.",
        discussion: "Exit status: 0 every service of every town answered; 2 partial (the rest printed); 64 usage or config error.")

    @OptionGroup var options: GatewayOptions
    @OptionGroup var scope: DashboardScope

    @Flag(help: "Every unit, not only the ten furthest behind (JSON and CSV always have all).")
    var full = false

    func validate() throws {
        try scope.validate(options)
    }

    func run() async throws {
        try await runGateway(options) { session in
            let day = scope.day
            let report = scope.allTowns
                ? await Self.district(session, on: day)
                : try await Self.town(session.selectedTown(), session, query: DashboardQuery(on: day, full: full || session.format != .table))
            session.print(report)
            if report.isPartial {
                throw GatewayExit.partial(Text("部分服务未回答，结果不完整", "partial answer: some services did not answer")(session.language))
            }
        }
    }

    static func town(_ town: GatewayConfig.Town, _ session: GatewaySession, query: DashboardQuery) async throws -> Report {
        let parts = await parts(of: town, session, query: query)
        var report = Report(command: "dashboard", sections: parts.flatMap(\.sections))
        if !query.full { report.notes = [Text("（--full、--json 或 --csv 显示全部单位）", "(--full, --json or --csv list every unit)")] }
        return report
    }

    /// Each service's dashboard answer for one town; a service that fails leaves its sections
    /// unavailable and no figures.
    static func parts(of town: GatewayConfig.Town, _ session: GatewaySession, query: DashboardQuery) async -> [DashboardPart] {
        await FanOut.gather(
            GatewaySections.all, titles: \.dashboardSections, town: town, clients: session.clients,
            deadline: session.deadline, language: session.language, unavailable: { DashboardPart(sections: $0, figures: [:]) }
        ) { section, client, options in
            try await section.dashboard(client: client, options: options, query: query)
        }.map(\.answer)
    }

    /// Every town at once; a figure a town could not give is shown as missing and left out of
    /// the totals, which the report marks partial.
    static func district(_ session: GatewaySession, on day: CalendarDay) async -> Report {
        let towns = session.config.towns
        let answers = await withTaskGroup(of: (Int, [DashboardPart]).self) { group in
            for (index, town) in towns.enumerated() {
                group.addTask { (index, await parts(of: town, session, query: DashboardQuery(on: day, full: false))) }
            }
            var answers = [[DashboardPart]](repeating: [], count: towns.count)
            for await (index, parts) in group { answers[index] = parts }
            return answers
        }
        let figures = GatewaySections.all.flatMap(\.figures)
        var rows: [[Value]] = []
        var totals = [String: (part: Int64, whole: Int64)]()
        var missing: [String] = []
        for (town, parts) in zip(towns, answers) {
            var row: [Value] = [.text(town.code), .text(town.name)]
            let known = parts.reduce(into: [String: (part: Int64, whole: Int64)]()) { $0.merge($1.figures) { $1 } }
            for figure in figures {
                if let value = known[figure.key] {
                    row.append(.fraction(part: value.part, whole: value.whole))
                    totals[figure.key, default: (0, 0)].part += value.part
                    totals[figure.key, default: (0, 0)].whole += value.whole
                } else {
                    row.append(.none)
                }
            }
            rows.append(row)
            for section in parts.flatMap(\.sections) where section.unavailable != nil {
                missing.append("\(town.code): \(section.title(session.language)): \(section.unavailable ?? "")")
            }
        }
        rows.append([.text("*"), .text("全区合计 district total")] + figures.map { totals[$0.key].map { .fraction(part: $0.part, whole: $0.whole) } ?? .none })
        var section = Section(id: "district.towns", title: Text("各镇进度与全区合计", "Towns and district totals"), table: Table(
            columns: [.init("town", Text("镇", "Town")), .init("name", Text("名称", "Name"))] + figures.map { .init($0.key, $0.label) }, rows: rows))
        if !missing.isEmpty {
            section.unavailable = Text("部分数据缺失（不计入合计）：", "missing, left out of the totals: ")(session.language) + missing.joined(separator: "; ")
        }
        return Report(command: "dashboard --all-towns", sections: [section])
    }
}

/// Which towns a dashboard or report covers, and on which day it is read.
struct DashboardScope: ParsableArguments {
    @Flag(help: "Every town of the config in parallel, a row each, and district totals.")
    var allTowns = false

    @Option(help: "YYYY-MM-DD: the day it is read on; duty's week and month end there (default: today in Shanghai).")
    var on: CalendarDay?

    var day: CalendarDay { on ?? .today() }

    func validate(_ options: GatewayOptions) throws {
        if allTowns && options.town != nil { throw ValidationError("--town and --all-towns: choose one") }
    }
}

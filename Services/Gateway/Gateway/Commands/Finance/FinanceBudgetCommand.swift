import ArgumentParser
import PinganFinanceContracts

struct FinanceBudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget", abstract: "Granted, spent, reserved and remaining per funder and line; allowances per month and unit.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "Budget year; default every year") var year: Int32 = 0
    @Option(help: "YYYY-MM for the allowances per unit; default every month") var month: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_GetBudgetReportRequest()
            request.year = year
            request.month = month
            let report = try await session.finance().getBudgetReport(request, options: session.options)
            let units = Section(id: "finance.units", title: Text("补贴（按月份、单位）", "Allowances by month and unit"), table: Table(
                columns: [.init("month", Text("月份", "Month")), .init("unit", Text("单位", "Unit")), .init("funder", Text("出资方", "Funder")),
                          .init("volunteers", Text("人数", "Volunteers")), .init("reserved_fen", Text("已预留", "Reserved")),
                          .init("paid_fen", Text("已支付", "Paid"))],
                rows: report.units.map { [.text($0.month), .text($0.unitCode), .text($0.funder), .int($0.volunteers), .money(fen: $0.reservedFen),
                                          .money(fen: $0.paidFen)] }))
            session.print(Report(command: "finance budget", sections: [
                FinanceSection.budgetSection("finance.funders", Text("按出资方", "By funder"), report.funders, byLine: false),
                FinanceSection.budgetSection("finance.lines", Text("按预算科目", "By line"), report.lines, byLine: true),
                units,
            ]))
        }
    }
}

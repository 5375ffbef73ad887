import ArgumentParser
import PinganFinanceContracts

struct FinanceRateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rate", abstract: "The expense standard of a kind in force on a day.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "activity_subsidy, transport_meal, manager_subsidy, training_cost") var kind: String
    @Option(help: "YYYY-MM-DD") var on: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_GetRateRequest()
            request.kind = kind
            request.on = on
            session.print(Report(command: "finance rate", sections: [Self.section(try await session.finance().getRate(request, options: session.options))]))
        }
    }

    static func section(_ rate: Pingan_Finance_V1_Rate) -> Section {
        Section(id: "finance.rate", title: Text("开支标准", "Expense standard"), fields: [
            Field("id", Text("编号", "Id"), .integer(rate.id)), Field("kind", Text("类别", "Kind"), .text(rate.kind)),
            Field("amount_fen", Text("标准", "Amount"), .money(fen: rate.amountFen)), Field("valid_from", Text("起用日期", "In force from"), .text(rate.validFrom)),
            Field("note", Text("说明", "Note"), rate.note.isEmpty ? .none : .text(rate.note)),
        ])
    }
}

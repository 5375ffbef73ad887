import ArgumentParser
import PinganFinanceContracts

struct FinanceAddRateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-rate", abstract: "Add an expense standard from a day; earlier days keep the earlier one, and payments keep the rate they used.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "activity_subsidy (per activity), transport_meal (per shift), manager_subsidy (per month), training_cost (per trainee)") var kind: String
    @Option(help: "Yuan, e.g. 20 or 15.50") var amount: String
    @Option(help: "YYYY-MM-DD: in force from this day") var from: String
    @Option var note: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_AddRateRequest()
            request.kind = kind
            request.amountFen = try FinanceSection.fen(amount, option: "--amount")
            request.validFrom = from
            request.note = note
            let rate = try await session.finance().addRate(request, options: session.options)
            session.print(Report(command: "finance add-rate", sections: [FinanceRateCommand.section(rate)]))
        }
    }
}

import ArgumentParser
import PinganFinanceContracts

struct FinanceGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Grant a funder's budget line for a year and category.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "The funder's code") var funder: String
    @Option var year: Int32
    @Option(help: "training, equipment, office, manager_subsidy, activity_subsidy, reward, village_patrol") var category: String
    @Option(help: "Yuan, e.g. 50000 or 50000.00") var amount: String
    @Option(help: "Your id for this grant: a retry with the same id grants once") var transferId: Int64
    @Option var memo: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_GrantRequest()
            request.funder = funder
            request.year = year
            request.category = category
            request.amountFen = try FinanceSection.fen(amount, option: "--amount")
            request.transferID = transferId
            request.memo = memo
            let outcome = try await session.finance().grant(request, options: session.options)
            session.print(Report(command: "finance grant", sections: [FinanceSection.outcomeSection([outcome])]))
            guard outcome.result == "created" || outcome.result == "exists" else { throw GatewayExit.refused("\(outcome.rule): \(outcome.message)") }
        }
    }
}

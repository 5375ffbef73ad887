import ArgumentParser
import PinganFinanceContracts

struct FinanceComputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute",
        abstract: "Compute a month's allowances from duty's records and reserve them: one batch per funder, to be approved by someone else.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "YYYY-MM, a month that is over") var month: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_ComputeAllowancesRequest()
            request.month = month
            let list = try await session.finance().computeAllowances(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "finance compute", sections: [FinanceSection.batchSection(list.batches, title: Text("\(month) 补贴批次（已预留）",
                                                                                                                             "Allowances for \(month), reserved"))]))
        }
    }
}

import ArgumentParser
import PinganFinanceContracts

struct FinanceBatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batches", abstract: "Allowance batches and where each stands.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "YYYY-MM; default every month") var month: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_ListBatchesRequest()
            request.month = month
            let list = try await session.finance().listBatches(request, options: session.options)
            session.print(Report(command: "finance batches", sections: [FinanceSection.batchSection(list.batches)]))
        }
    }
}

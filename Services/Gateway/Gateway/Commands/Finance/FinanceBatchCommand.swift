import ArgumentParser
import PinganFinanceContracts

struct FinanceBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "batch", abstract: "A batch's lines: each volunteer, standard, quantity and amount.")
    @OptionGroup var options: GatewayOptions
    @Argument var id: Int64

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_BatchRequest()
            request.id = id
            let lines = try await session.finance().getBatchLines(request, options: session.options).lines
            session.print(Report(command: "finance batch", sections: [Section(id: "finance.lines", title: Text("批次 \(id)", "Batch \(id)"),
                                                                              table: FinanceSection.lineTable(lines))]))
        }
    }
}

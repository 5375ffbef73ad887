import ArgumentParser
import PinganFinanceContracts

struct FinanceStockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stock", abstract: "Insignia on hand per store room and item.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "One store room; default every room") var room: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_GetStockRequest()
            request.room = room
            session.print(Report(command: "finance stock", sections: [FinanceSection.stockSection(try await session.finance().getStock(request, options: session.options))]))
        }
    }
}

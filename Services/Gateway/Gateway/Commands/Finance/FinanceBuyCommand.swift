import ArgumentParser
import PinganFinanceContracts

struct FinanceBuyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buy", abstract: "Buy insignia into a store room, paid from the funder's equipment line in the same transaction.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "armband, vest, t_shirt, badge, sun_hat, small_flag") var item: String
    @Option var quantity: Int32
    @Option var room: String
    @Option(help: "Yuan each, e.g. 12.50") var unitPrice: String
    @Option var funder: String
    @Option var year: Int32
    @Option(help: "Your id for the payment: a retry with the same id buys once") var transferId: Int64

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_PurchaseStockRequest()
            request.item = item
            request.quantity = quantity
            request.room = room
            request.unitPriceFen = try FinanceSection.fen(unitPrice, option: "--unit-price")
            request.funder = funder
            request.year = year
            request.transferID = transferId
            let outcome = try await session.finance().purchaseStock(request, options: session.options)
            session.print(Report(command: "finance buy", sections: [FinanceSection.outcomeSection([outcome])]))
            guard outcome.result == "created" || outcome.result == "exists" else { throw GatewayExit.refused("\(outcome.rule): \(outcome.message)") }
        }
    }
}

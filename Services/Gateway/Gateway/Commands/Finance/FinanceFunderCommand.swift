import ArgumentParser
import Foundation
import PinganFinanceContracts

struct FinanceFunderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "funder", abstract: "Open a funder: the town's finance, a village, a unit.")
    @OptionGroup var options: GatewayOptions
    @Argument(help: "Code: 1-32 characters of A-Z, 0-9 and -") var code: String
    @Option var name: String
    @Option(help: "town, village or unit") var kind: String
    @Option(help: "A village: the units whose shifts it pays, comma-separated (e.g. VC-01,VG-01,VG-02)") var paysFor: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Finance_V1_OpenFunderRequest()
            request.code = code
            request.name = name
            request.kind = kind
            request.paysForUnits = paysFor.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
            let account = try await session.finance().openFunder(request, options: session.options)
            session.print(Report(command: "finance funder", sections: [FinanceAccountsCommand.section([account], title: Text("出资方", "Funder"))]))
        }
    }
}

import ArgumentParser
import Finance
import PinganServiceHost

/// `pingan-finance`: funders, budgets, the ledger, equipment, allowances.
@main
struct FinanceServer: AsyncParsableCommand {
    static let configuration = ServiceHost.commandConfiguration(FinanceDefinition.self, abstract: "The Pingan finance service.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var settings: FinanceSettings

    func run() async throws {
        try await ServiceHost.run(FinanceDefinition.self, options: options, settings: settings)
    }
}

import ArgumentParser
import PinganServiceHost

/// `pingan-finance`: serves Health and Reflection; its domain methods arrive with the finance issue.
@main
struct FinanceServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-finance", abstract: "The Pingan finance service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.run(name: "pingan-finance", defaultPort: 7404, options: options, services: [])
    }
}

import ArgumentParser
import PinganServiceHost

/// `pingan-registry`: serves Health and Reflection; its domain methods arrive with the registry issue.
@main
struct RegistryServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-registry", abstract: "The Pingan registry service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.run(name: "pingan-registry", defaultPort: 7401, options: options, services: [])
    }
}

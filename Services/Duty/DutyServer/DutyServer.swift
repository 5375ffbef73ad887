import ArgumentParser
import PinganServiceHost

/// `pingan-duty`: serves Health and Reflection; its domain methods arrive with the duty issue.
@main
struct DutyServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-duty", abstract: "The Pingan duty service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.run(name: "pingan-duty", defaultPort: 7403, options: options, services: [])
    }
}

import ArgumentParser
import PinganServiceHost

/// `pingan-training`: serves Health and Reflection; its domain methods arrive with the training issue.
@main
struct TrainingServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-training", abstract: "The Pingan training service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        try await ServiceHost.run(name: "pingan-training", defaultPort: 7402, options: options, services: [])
    }
}

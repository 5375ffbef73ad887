import ArgumentParser
import PinganServiceHost
import Registry

/// `pingan-registry`: who is in the corps.
@main
struct RegistryServer: AsyncParsableCommand {
    static let configuration = ServiceHost.commandConfiguration(RegistryDefinition.self, abstract: "The Pingan registry service.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var settings: RegistrySettings

    func run() async throws {
        try await ServiceHost.run(RegistryDefinition.self, options: options, settings: settings)
    }
}

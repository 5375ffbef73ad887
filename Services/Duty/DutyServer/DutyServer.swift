import ArgumentParser
import Duty
import PinganServiceHost

/// `pingan-duty`: projects, posts and routes, shifts, activities, hazards, disputes.
@main
struct DutyServer: AsyncParsableCommand {
    static let configuration = ServiceHost.commandConfiguration(DutyDefinition.self, abstract: "The Pingan duty service.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var settings: DutySettings

    func run() async throws {
        try await ServiceHost.run(DutyDefinition.self, options: options, settings: settings)
    }
}

import ArgumentParser
import PinganServiceHost
import Training

/// `pingan-training`: courses, sessions, enrollment, attendance and qualification.
@main
struct TrainingServer: AsyncParsableCommand {
    static let configuration = ServiceHost.commandConfiguration(TrainingDefinition.self, abstract: "The Pingan training service.")

    @OptionGroup var options: ServiceOptions
    @OptionGroup var settings: TrainingSettings

    func run() async throws {
        try await ServiceHost.run(TrainingDefinition.self, options: options, settings: settings)
    }
}

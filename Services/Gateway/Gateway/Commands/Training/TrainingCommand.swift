import ArgumentParser
import PinganCatalog
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan training ...`: courses, sessions, enrollment, qualification.
struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceName.training.rawValue, abstract: "Training: courses, sessions, enrollment, qualification, overdue lists.",
        subcommands: [TrainingCoursesCommand.self, TrainingSessionsCommand.self, TrainingScheduleCommand.self, TrainingEnrollCommand.self,
                      TrainingQualifyCommand.self, TrainingOverdueCommand.self])
}

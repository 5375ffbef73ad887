import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Schedule a session of a course.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "Course code (PJ-01) or id") var course: String
    @Option(help: "YYYY-MM-DD HH:MM") var starts: String
    @Option(help: "YYYY-MM-DD HH:MM") var ends: String
    @Option var place: String
    @Option var capacity: Int32
    @Option var trainer: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ScheduleSessionRequest()
            request.courseID = try await CourseReference.id(course, session)
            request.starts = starts
            request.ends = ends
            request.place = place
            request.capacity = capacity
            request.trainer = trainer
            let scheduled: Pingan_Training_V1_Session = try await session.training().scheduleSession(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "training schedule", sections: [Section(id: "training.sessions", title: Text("培训场次", "Session"), table: Table(
                columns: TrainingSessionsCommand.columns, rows: [TrainingSessionsCommand.row(scheduled)]))]))
        }
    }
}

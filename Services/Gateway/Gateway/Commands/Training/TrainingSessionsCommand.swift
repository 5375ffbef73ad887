import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Sessions with seats taken.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "Course code (PJ-01) or id") var course: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ListSessionsRequest()
            if let course { request.courseID = try await CourseReference.id(course, session) }
            let list: Pingan_Training_V1_SessionList = try await session.training().listSessions(request, options: session.options)
            session.print(Report(command: "training sessions", sections: [Section(id: "training.sessions", title: Text("培训场次", "Sessions"), table: Table(
                columns: Self.columns, rows: list.sessions.map(Self.row)))]))
        }
    }

    static let columns: [Table.Column] = [
        .init("id", Text("场次", "Session")), .init("course_id", Text("课程", "Course")), .init("starts", Text("开始", "Starts")),
        .init("ends", Text("结束", "Ends")), .init("place", Text("地点", "Place")), .init("trainer", Text("讲师", "Trainer")),
        .init("enrolled", Text("已报名", "Enrolled")), .init("capacity", Text("名额", "Seats")), .init("status", Text("状态", "Status")),
    ]

    static func row(_ session: Pingan_Training_V1_Session) -> [Value] {
        [.integer(session.id), .integer(session.courseID), .text(session.starts), .text(session.ends), .text(session.place), .text(session.trainer),
         .int(session.enrolled), .int(session.capacity), .text(session.status)]
    }
}

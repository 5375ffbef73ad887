import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingCoursesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "courses", abstract: "Courses with their deadlines.")
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let list: Pingan_Training_V1_CourseList = try await session.training().listCourses(Pingan_Training_V1_ListCoursesRequest(), options: session.options)
            session.print(Report(command: "training courses", sections: [Section(id: "training.courses", title: Text("课程", "Courses"), table: Table(
                columns: [.init("id", Text("编号", "ID")), .init("code", Text("代码", "Code")), .init("name", Text("名称", "Name")),
                          .init("kind", Text("类型", "Kind")), .init("deadline", Text("截止日期", "Deadline")), .init("valid_through", Text("有效至", "Valid through")),
                          .init("required_hours", Text("学时", "Hours"))],
                rows: list.courses.map { [.integer($0.id), .text($0.code), .text($0.name), .text($0.kind), .text($0.deadline),
                                          $0.validThrough.isEmpty ? .none : .text($0.validThrough), .decimal($0.requiredHours)] }))]))
        }
    }
}

import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingOverdueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdue", abstract: "Active volunteers without a course after its deadline.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "Course code (PJ-01) or id") var course: String
    @Option(help: "YYYY-MM-DD") var on: String
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ListOverdueRequest()
            request.courseID = try await CourseReference.id(course, session)
            request.on = on
            request.unitCode = unit ?? ""
            request.pageSize = VolunteerPages.size
            let training = try session.training()
            let pages = try await VolunteerPages.all({ after in
                request.afterVolunteerID = after
                return try await training.listOverdue(request, options: session.options)
            }, next: \.nextAfterVolunteerID)
            let list = pages[0]
            session.print(Report(command: "training overdue", sections: [Section(
                id: "training.overdue", title: Text("逾期未完成（截止 \(list.deadline)）", "Overdue (deadline \(list.deadline))"), table: Table(
                    columns: [.init("volunteer_id", Text("编号", "Volunteer")), .init("name", Text("姓名", "Name")), .init("unit", Text("单位", "Unit")),
                              .init("hours", Text("已修学时", "Hours"))],
                    rows: pages.flatMap(\.volunteers).map { [.integer($0.volunteerID), .text($0.name), .text($0.unitCode), .decimal($0.hours)] }))]))
        }
    }
}

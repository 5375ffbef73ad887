import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingQualifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "qualify", abstract: "Are these volunteers qualified for a project on a day?")
    @OptionGroup var options: GatewayOptions
    @Option var project: String
    @Option(help: "YYYY-MM-DD") var on: String
    @Argument(help: "Volunteer ids.") var volunteers: [Int64]

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_CheckQualificationsRequest()
            request.volunteerIds = volunteers
            request.project = project
            request.on = on
            let list: Pingan_Training_V1_QualificationList = try await session.training().checkQualifications(request, options: session.options)
            session.print(Report(command: "training qualify", sections: [Section(id: "training.qualification", title: Text("上岗资格", "Qualification"), table: Table(
                columns: [.init("volunteer_id", Text("编号", "Volunteer")), .init("qualified", Text("合格", "Qualified")), .init("missing", Text("缺少", "Missing"))],
                rows: list.qualifications.map { answer in
                    [.integer(answer.volunteerID), .bool(answer.qualified),
                     answer.missing.isEmpty ? .none : .text(answer.missing.map { "\($0.courseCode) \($0.reason)" }.joined(separator: "; "))]
                }))]))
        }
    }
}

import ArgumentParser
import PinganDutyContracts

struct DutyActivityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "activity", abstract: "Record a volunteer's activity: project, day, hours.")
    @OptionGroup var options: GatewayOptions
    @Argument var volunteer: Int64
    @Option var project: String
    @Option(help: "YYYY-MM-DD") var day: String
    @Option(help: "More than 0, at most 24") var hours: Double
    @Option(help: "Where it happened, 1-200 characters") var place: String
    @Option var note: String = ""
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_RecordActivityRequest()
            request.volunteerID = volunteer
            request.project = project
            request.day = day
            request.hours = hours
            request.place = place
            request.note = note
            let activity = try await session.duty().recordActivity(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "duty activity", sections: [Section(id: "duty.activity", title: Text("活动记录", "Activity"), fields: [
                Field("id", Text("记录", "Record"), .integer(activity.id)), Field("volunteer_id", Text("编号", "Volunteer"), .integer(activity.volunteerID)),
                Field("unit", Text("单位", "Unit"), .text(activity.unitCode)), Field("project", Text("项目", "Project"), .text(activity.project)),
                Field("day", Text("日期", "Day"), .text(activity.day)), Field("hours", Text("小时", "Hours"), .decimal(activity.hours)),
            ])]))
        }
    }
}

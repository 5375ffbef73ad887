import ArgumentParser
import PinganDutyContracts

struct DutyComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "A month's activities against the campaign phase's minimum, and who is behind.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "YYYY-MM") var month: String
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_GetComplianceRequest()
            request.month = month
            request.unitCode = unit ?? ""
            request.pageSize = VolunteerPages.size
            let duty = try session.duty()
            let pages = try await VolunteerPages.all({ after in
                request.afterVolunteerID = after
                return try await duty.getCompliance(request, options: session.options)
            }, next: \.nextAfterVolunteerID)
            let report = pages[0]
            let summary = Section(id: "duty.compliance", title: Text("活动达标", "Activity minimum"), fields: [
                Field("month", Text("月份", "Month"), .text(report.month)), Field("phase", Text("阶段", "Phase"), .text(report.phase)),
                Field("minimum", Text("每月至少", "Minimum a month"), .int(report.minimum)),
                Field("compliant", Text("达标", "Met"), .fraction(part: Int64(report.compliant), whole: Int64(report.volunteers))),
            ])
            let behind = Section(id: "duty.behind", title: Text("未达标志愿者", "Volunteers behind"), table: Table(
                columns: [.init("volunteer_id", Text("编号", "Volunteer")), .init("name", Text("姓名", "Name")), .init("unit", Text("单位", "Unit")),
                          .init("activities", Text("活动次数", "Activities")), .init("hours", Text("小时", "Hours"))],
                rows: pages.flatMap(\.behind).map { [.integer($0.volunteerID), .text($0.name), .text($0.unitCode), .int($0.activities), .decimal($0.hours)] }))
            session.print(Report(command: "duty compliance", sections: [summary, behind]))
        }
    }
}

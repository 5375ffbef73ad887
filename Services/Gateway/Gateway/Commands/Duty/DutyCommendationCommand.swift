import ArgumentParser
import PinganDutyContracts

struct DutyCommendationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commendation", abstract: "The year-end commendation: volunteers and teams over the campaign's thresholds, ranked.")
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let list = try await session.duty().getCommendation(Pingan_Duty_V1_GetCommendationRequest(), options: session.options)
            let summary = Section(id: "duty.commendation", title: Text("年度表彰", "Commendation"), fields: [
                Field("period", Text("统计期间", "Period"), .text("\(list.from) – \(list.to)")),
                Field("volunteer_minimum", Text("个人门槛", "Volunteer minimum"),
                      .text(Text("\(Value.decimal(list.volunteerMinimumHours).display(.zh)) 小时，\(list.volunteerMinimumActivities) 次活动",
                                 "\(Value.decimal(list.volunteerMinimumHours).display(.en)) hours, \(list.volunteerMinimumActivities) activities")(session.language))),
                Field("team_minimum", Text("团队门槛（人均小时）", "Team minimum (hours a member)"), .decimal(list.teamMinimumHoursPerMember)),
                Field("eligible_volunteers", Text("达标志愿者", "Volunteers over the thresholds"), .int(list.eligibleVolunteers)),
                Field("eligible_teams", Text("达标团队", "Teams over the thresholds"), .int(list.eligibleTeams)),
                Field("rule", Text("排名规则", "Rule"), .text(list.rule)),
            ])
            let volunteers = Section(id: "duty.commended_volunteers", title: Text("表彰志愿者", "Volunteers"), table: Table(
                columns: [.init("rank", Text("名次", "Rank")), .init("volunteer_id", Text("编号", "Volunteer")), .init("name", Text("姓名", "Name")),
                          .init("unit", Text("单位", "Unit")), .init("team", Text("团队", "Team")), .init("hours", Text("小时", "Hours")),
                          .init("activities", Text("活动次数", "Activities"))],
                rows: list.volunteers.map { [.int($0.rank), .integer($0.volunteerID), .text($0.name), .text($0.unitCode),
                                             $0.teamName.isEmpty ? .none : .text($0.teamName), .decimal($0.hours), .int($0.activities)] }))
            let teams = Section(id: "duty.commended_teams", title: Text("表彰团队", "Teams"), table: Table(
                columns: [.init("rank", Text("名次", "Rank")), .init("team_id", Text("编号", "Team")), .init("name", Text("名称", "Name")),
                          .init("unit", Text("单位", "Unit")), .init("members", Text("人数", "Members")), .init("hours", Text("小时", "Hours")),
                          .init("hours_per_member", Text("人均小时", "Hours a member")), .init("activities", Text("活动次数", "Activities"))],
                rows: list.teams.map { [.int($0.rank), .integer($0.teamID), .text($0.name), .text($0.unitCode), .int($0.members),
                                        .decimal($0.hours), .decimal($0.hoursPerMember), .int($0.activities)] }))
            session.print(Report(command: "duty commendation", sections: [summary, volunteers, teams]))
        }
    }
}

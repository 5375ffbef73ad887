import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganDutyContracts
import PinganRPC

/// Duty's part of the gateway: a volunteer's shifts in `volunteer show`; patrol coverage of the
/// week, activity compliance of the month and open hazards in the dashboard; `pingan duty ...`.
struct DutySection: ServiceSection {
    let service = ServiceName.duty
    var commands: (any ParsableCommand.Type)? { DutyCommand.self }
    let volunteerSections = [
        SectionTitle("duty.posts", Text("本月岗位", "Posts this month")),
        SectionTitle("duty.shifts", Text("本月值守班次", "Shifts this month")),
        SectionTitle("duty.activities", Text("本月活动", "Activities this month")),
        SectionTitle("duty.standing", Text("活动达标与表彰", "Activity minimum and commendation")),
    ]
    let dashboardSections = [
        SectionTitle("duty.coverage", Text("巡逻覆盖（近7天）", "Patrol coverage (7 days)")),
        SectionTitle("duty.compliance", Text("本月活动达标", "Activities this month")),
        SectionTitle("duty.hazards", Text("未整改隐患", "Open hazards")),
        SectionTitle("duty.hazards_overdue", Text("逾期未整改隐患", "Overdue hazards")),
    ]
    let figures = [
        Figure("patrol_coverage", Text("巡逻全覆盖", "Committees covered")),
        Figure("activity_compliance", Text("活动达标", "Activity minimum met")),
        Figure("hazards_overdue", Text("逾期隐患/未整改", "Hazards overdue/open")),
    ]
    /// Rows of the unit tables on a terminal without --full.
    static let unitsOnTerminal = 10

    func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section] {
        var request = Pingan_Duty_V1_GetVolunteerDutyRequest()
        request.volunteerID = id
        request.month = String(day.description.prefix(7))
        let duty = try await DutyClient(client).getVolunteerDuty(request, options: options)
        let activities = Table(
            columns: [.init("day", Text("日期", "Day")), .init("project", Text("项目", "Project")), .init("place", Text("地点", "Place")),
                      .init("hours", Text("小时", "Hours"))],
            rows: duty.activities.map { [.text($0.day), .text($0.project), .text($0.place), .decimal($0.hours)] })
        let standing: [Field] = [
            Field("month", Text("月份", "Month"), .text(duty.month)),
            Field("activities", Text("本月活动", "Activities"), .text("\(duty.activities.count) / \(duty.minimum)")),
            Field("compliant", Text("达标", "Minimum met"), .bool(duty.compliant)),
            Field("commendation_hours", Text("年度小时", "Hours this campaign year"), .decimal(duty.commendationHours)),
            Field("commendation_activities", Text("年度活动", "Activities this campaign year"), .int(duty.commendationActivities)),
            Field("commendation_rank", Text("表彰排名", "Commendation rank"), duty.commendationRank == 0 ? .none : .int(duty.commendationRank)),
            Field("commended", Text("入选表彰", "Commended"), .bool(duty.commended)),
        ]
        var posts = Self.postSection(duty.posts)
        posts.id = volunteerSections[0].id
        posts.title = volunteerSections[0].title
        return [posts,
                Section(id: volunteerSections[1].id, title: volunteerSections[1].title, table: Self.shiftTable(duty.shifts)),
                Section(id: volunteerSections[2].id, title: volunteerSections[2].title, table: activities),
                Section(id: volunteerSections[3].id, title: volunteerSections[3].title, fields: standing)]
    }

    static func postSection(_ posts: [Pingan_Duty_V1_Post]) -> Section {
        Section(id: "duty.posts", title: Text("岗位", "Posts"), table: Table(
            columns: [.init("post", Text("岗位", "Post")), .init("project", Text("项目", "Project")), .init("unit", Text("单位", "Unit")),
                      .init("place", Text("地点", "Place")), .init("duty", Text("职责", "Duty")), .init("route", Text("巡逻路线", "Route")),
                      .init("retired_at", Text("撤岗", "Retired"))],
            rows: posts.map { post in
                [.text(post.code), .text(post.project), .text(post.unitCode), .text(post.place), .text(post.duty),
                 post.route.isEmpty ? .none : .text(post.route.map { "\($0.name)@\($0.minutesFromStart)" }.joined(separator: " > ")),
                 post.retiredAt.isEmpty ? .none : .text(post.retiredAt)]
            }))
    }

    static func roundSection(_ round: Pingan_Duty_V1_Round) -> Section {
        Section(id: "duty.round", title: Text("班次 \(round.shift.id) 巡逻签到", "Round of shift \(round.shift.id)"), table: Table(
            columns: [.init("checkpoint", Text("签到点", "Checkpoint")), .init("expected", Text("应到", "Expected")),
                      .init("checked_at", Text("签到", "Checked in")), .init("state", Text("状态", "State"))],
            rows: round.checkpoints.map { [.text($0.name), .text($0.expected), $0.checkedAt.isEmpty ? .none : .text($0.checkedAt), .text($0.state)] }))
    }

    static func shiftTable(_ shifts: [Pingan_Duty_V1_Shift]) -> Table {
        Table(
            columns: [.init("shift", Text("班次", "Shift")), .init("post", Text("岗位", "Post")), .init("project", Text("项目", "Project")),
                      .init("unit", Text("单位", "Unit")), .init("volunteer_id", Text("编号", "Volunteer")), .init("name", Text("姓名", "Name")),
                      .init("starts", Text("开始", "Starts")), .init("ends", Text("结束", "Ends")), .init("status", Text("状态", "Status"))],
            rows: shifts.map { [.integer($0.id), .text($0.postCode), .text($0.project), .text($0.unitCode), .integer($0.volunteerID),
                                .text($0.volunteerName), .text($0.starts), .text($0.ends), .text($0.status)] })
    }

    func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart {
        let duty = DutyClient(client)
        var week = Pingan_Duty_V1_GetCoverageRequest()
        week.to = query.on.description
        week.from = (0..<6).reduce(query.on) { day, _ in day.previous }.description
        var month = Pingan_Duty_V1_GetComplianceRequest()
        month.month = String(query.on.description.prefix(7))
        month.countsOnly = true  // the dashboard shows counts, never the list of who is behind
        var unrectified = Pingan_Duty_V1_ListHazardsRequest()
        unrectified.on = query.on.description
        async let coverage = duty.getCoverage(week, options: options)
        async let compliance = duty.getCompliance(month, options: options)
        async let hazards = duty.listHazards(unrectified, options: options)
        let (covered, met, listed) = try await (coverage, compliance, hazards)

        let open = listed.byKind.reduce(0) { $0 + Int64($1.open) }
        let overdue = listed.byKind.reduce(0) { $0 + Int64($1.overdue) }
        return DashboardPart(
            sections: [coverageSection(covered, full: query.full), complianceSection(met, full: query.full)] + hazardSections(listed),
            figures: ["patrol_coverage": (Int64(covered.fullyCovered), Int64(covered.committees)),
                      "activity_compliance": (Int64(met.compliant), Int64(met.volunteers)),
                      "hazards_overdue": (overdue, open)])
    }

    /// Committees without a staffed patrol post on some day of the week, fewest days first.
    func coverageSection(_ report: Pingan_Duty_V1_CoverageReport, full: Bool) -> Section {
        var committees = report.committeesDetail.filter { full || !$0.uncoveredDays.isEmpty }
        committees.sort { ($0.daysCovered, $0.unitCode) < ($1.daysCovered, $1.unitCode) }
        if !full { committees = Array(committees.prefix(Self.unitsOnTerminal)) }
        var rows: [[Value]] = committees.map {
            [.text($0.unitCode), .text($0.name), .fraction(part: Int64($0.daysCovered), whole: Int64(report.days)),
             .text($0.uncoveredDays.joined(separator: " "))]
        }
        rows.append([.none, .text("每天全覆盖 covered every day"), .fraction(part: Int64(report.fullyCovered), whole: Int64(report.committees)), .none])
        let title = Text("巡逻覆盖 \(report.from)…\(report.to)" + (full ? "" : "（未全覆盖的居村委）"),
                         "Patrol coverage \(report.from)…\(report.to)" + (full ? "" : ": committees with gaps"))
        return Section(id: dashboardSections[0].id, title: title, table: Table(
            columns: [.init("unit", Text("居村委", "Committee")), .init("name", Text("名称", "Name")),
                      .init("days_covered", Text("有岗天数", "Days covered")), .init("uncovered_days", Text("无岗日期", "Days without a post"))],
            rows: rows))
    }

    /// Each unit's volunteers against the month's minimum, furthest behind first.
    func complianceSection(_ report: Pingan_Duty_V1_ComplianceReport, full: Bool) -> Section {
        var units = report.units.filter { $0.volunteers > 0 }
        units.sort { (Double($0.compliant) / Double($0.volunteers), $0.unitCode) < (Double($1.compliant) / Double($1.volunteers), $1.unitCode) }
        if !full { units = Array(units.prefix(Self.unitsOnTerminal)) }
        var rows: [[Value]] = units.map {
            [.text($0.unitCode), .int($0.volunteers), .int($0.compliant), .percent(part: Int64($0.compliant), whole: Int64($0.volunteers))]
        }
        rows.append([.text("合计 total"), .int(report.volunteers), .int(report.compliant),
                     .percent(part: Int64(report.compliant), whole: Int64(report.volunteers))])
        let title = Text("\(report.month) 活动达标（\(report.phase)，每人每月至少 \(report.minimum) 次）",
                         "Activities in \(report.month) (\(report.phase): at least \(report.minimum) each)")
        return Section(id: dashboardSections[1].id, title: title, table: Table(
            columns: [.init("unit", Text("单位", "Unit")), .init("volunteers", Text("在册", "Active")),
                      .init("compliant", Text("达标", "Met")), .init("share", Text("达标率", "%"))],
            rows: rows))
    }

    /// Open and overdue hazards by kind, and the overdue ones with whom they wait on.
    func hazardSections(_ list: Pingan_Duty_V1_HazardList) -> [Section] {
        let counts = Table(
            columns: [.init("kind", Text("类别", "Kind")), .init("open", Text("未整改", "Open")), .init("overdue", Text("逾期", "Overdue"))],
            rows: list.byKind.map { [.text($0.key), .int($0.open), .int($0.overdue)] })
        let overdue = Self.hazardTable(list.hazards.filter(\.overdue))
        return [Section(id: dashboardSections[2].id, title: dashboardSections[2].title, table: counts),
                Section(id: dashboardSections[3].id, title: dashboardSections[3].title, table: overdue)]
    }

    static func hazardTable(_ hazards: [Pingan_Duty_V1_Hazard]) -> Table {
        Table(
            columns: [.init("hazard", Text("编号", "Hazard")), .init("kind", Text("类别", "Kind")), .init("unit", Text("单位", "Unit")),
                      .init("place", Text("地点", "Place")), .init("description", Text("情况", "Description")),
                      .init("reported_on", Text("发现日期", "Reported")), .init("status", Text("状态", "Status")),
                      .init("department", Text("责任部门", "Department")), .init("due_on", Text("整改期限", "Due")),
                      .init("overdue", Text("逾期", "Overdue"))],
            rows: hazards.map {
                [.integer($0.id), .text($0.kind), .text($0.unitCode), .text($0.place), .text($0.description_p), .text($0.reportedOn),
                 .text($0.status), $0.department.isEmpty ? .none : .text($0.department), $0.dueOn.isEmpty ? .none : .text($0.dueOn),
                 .bool($0.overdue)]
            })
    }
}

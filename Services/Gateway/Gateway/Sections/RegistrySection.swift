import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganRegistryContracts
import PinganRPC

/// The registry's part of the gateway: who the volunteer is and their history in `volunteer
/// show`, recruitment against quotas in the dashboard, and `pingan registry ...`.
struct RegistrySection: ServiceSection {
    let service = ServiceName.registry
    var commands: (any ParsableCommand.Type)? { RegistryCommand.self }
    let identifiesVolunteers = true
    let volunteerSections = [
        SectionTitle("registry.volunteer", Text("登记信息", "Registry")),
        SectionTitle("registry.history", Text("状态与调动记录", "Status and team history")),
    ]
    let dashboardSections = [
        SectionTitle("registry.categories", Text("招募进度（按类别）", "Recruitment by category")),
        SectionTitle("registry.units", Text("招募进度（按单位）", "Recruitment by unit")),
    ]
    let figures = [Figure("recruitment", Text("招募", "Recruited"))]
    /// Units shown in a terminal table: the furthest behind their own quota.
    static let unitsOnTerminal = 10

    func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section] {
        let registry = RegistryClient(client)
        var request = Pingan_Registry_V1_GetVolunteerRequest()
        request.id = id
        async let volunteerCall = registry.getVolunteer(request, options: options)
        var historyRequest = Pingan_Registry_V1_GetVolunteerHistoryRequest()
        historyRequest.volunteerID = id
        async let historyCall = registry.getVolunteerHistory(historyRequest, options: options)
        let volunteer = try await volunteerCall
        let fields = [
            Field("id", Text("编号", "ID"), .integer(volunteer.id)),
            Field("name", Text("姓名", "Name"), .text(volunteer.name)),
            Field("id_number", Text("证件号码", "ID number"), .text(volunteer.idNumber)),
            Field("phone", Text("手机", "Phone"), volunteer.phone.isEmpty ? .none : .text(volunteer.phone)),
            // The date comes only with an unmasked read; every answer has the year.
            Field("born", Text("出生", "Born"), .text(volunteer.birthDate.isEmpty ? String(volunteer.birthYear) : volunteer.birthDate)),
            Field("unit", Text("单位", "Unit"), .text(volunteer.unitCode)),
            Field("category", Text("类别", "Category"), .text(volunteer.subcategory.isEmpty ? "\(volunteer.category)" : volunteer.subcategory)),
            Field("status", Text("状态", "Status"), .text(volunteer.status)),
            Field("team", Text("队伍", "Team"), volunteer.teamID == 0 ? .none : .text("\(volunteer.teamName) (\(volunteer.teamID))")),
        ]
        // The history is role-limited (not every caller may read it): its absence is not an outage.
        let history: Section
        do {
            let entries = try await historyCall.entries
            history = Section(id: volunteerSections[1].id, title: volunteerSections[1].title, table: Table(
                columns: [.init("on", Text("日期", "On")), .init("at", Text("记录于", "Recorded")), .init("kind", Text("类型", "Kind")), .init("from", Text("从", "From")),
                          .init("to", Text("到", "To")), .init("actor", Text("操作人", "By")), .init("reason", Text("原因", "Reason"))],
                rows: entries.map { [.text($0.on.isEmpty ? String($0.at.prefix(10)) : $0.on), .text($0.at), .text($0.kind), .text($0.from), .text($0.to), .text($0.actor), $0.reason.isEmpty ? .none : .text($0.reason)] }))
        } catch let error as RPCError {
            history = volunteerSections[1].unavailable("\(error.code) \(error.message)", code: error.code)
        }
        return [Section(id: volunteerSections[0].id, title: volunteerSections[0].title, fields: fields), history]
    }

    func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart {
        let progress = try await RegistryClient(client).getProgress(Pingan_Registry_V1_GetProgressRequest(), options: options)
        var rows: [[Value]] = progress.categories.map { category in
            [.int(category.number), .text(category.name), .text(category.mode), .int(category.quota), .int(category.enrolled),
             .percent(part: Int64(category.enrolled), whole: Int64(category.quota))]
        }
        rows.append([.none, .text("合计 total"), .none, .int(progress.totalQuota), .int(progress.totalEnrolled),
                     .percent(part: Int64(progress.totalEnrolled), whole: Int64(progress.totalQuota))])
        let categories = Section(id: dashboardSections[0].id, title: dashboardSections[0].title, table: Table(
            columns: [.init("category", Text("类别", "#")), .init("name", Text("名称", "Category")), .init("mode", Text("方式", "Mode")),
                      .init("quota", Text("指标", "Quota")), .init("enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%"))],
            rows: rows))
        var units = progress.units.filter { $0.quota > 0 }
        units.sort { (Double($0.quotaEnrolled) / Double($0.quota), $0.code) < (Double($1.quotaEnrolled) / Double($1.quota), $1.code) }
        if !query.full { units = Array(units.prefix(Self.unitsOnTerminal)) }
        var unitSection = Section(id: dashboardSections[1].id, title: dashboardSections[1].title, table: Table(
            columns: [.init("unit", Text("单位", "Unit")), .init("name", Text("名称", "Name")), .init("quota", Text("单位指标", "Own quota")),
                      .init("quota_enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%")),
                      .init("all_enrolled", Text("全部在册", "All active"))],
            rows: units.map { [.text($0.code), .text($0.name), .int($0.quota), .int($0.quotaEnrolled),
                               .percent(part: Int64($0.quotaEnrolled), whole: Int64($0.quota)), .int($0.enrolled)] }))
        if !query.full { unitSection.title = Text("招募进度（落后最多的\(Self.unitsOnTerminal)个单位）", "Recruitment: the \(Self.unitsOnTerminal) units furthest behind") }
        return DashboardPart(sections: [categories, unitSection],
                             figures: ["recruitment": (Int64(progress.totalEnrolled), Int64(progress.totalQuota))])
    }
}

import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport

/// The registry's part of `volunteer show`: who the volunteer is, and their history.
struct RegistryVolunteerPlugin: VolunteerPlugin {
    let service = "registry"
    let sections: [(id: String, title: Text)] = [
        ("registry.volunteer", Text("登记信息", "Registry")),
        ("registry.history", Text("状态与调动记录", "Status and team history")),
    ]

    func volunteer(_ id: Int64, client: RPCClient, options: CallOptions) async throws -> [Section] {
        var request = Pingan_Registry_V1_GetVolunteerRequest()
        request.id = id
        async let volunteerCall: Pingan_Registry_V1_Volunteer = client.unary(RegistryMethods.getVolunteer, request, options: options)
        var historyRequest = Pingan_Registry_V1_GetVolunteerHistoryRequest()
        historyRequest.volunteerID = id
        async let historyCall: Pingan_Registry_V1_VolunteerHistory = client.unary(RegistryMethods.getVolunteerHistory, historyRequest, options: options)
        let volunteer = try await volunteerCall
        let fields = [
            Field("id", Text("编号", "ID"), .integer(volunteer.id)),
            Field("name", Text("姓名", "Name"), .text(volunteer.name)),
            Field("id_number", Text("证件号码", "ID number"), .text(volunteer.idNumber)),
            Field("phone", Text("手机", "Phone"), volunteer.phone.isEmpty ? .none : .text(volunteer.phone)),
            Field("birth_date", Text("出生日期", "Born"), .text(volunteer.birthDate)),
            Field("unit", Text("单位", "Unit"), .text(volunteer.unitCode)),
            Field("category", Text("类别", "Category"), .text(volunteer.subcategory.isEmpty ? "\(volunteer.category)" : volunteer.subcategory)),
            Field("status", Text("状态", "Status"), .text(volunteer.status)),
            Field("team", Text("队伍", "Team"), volunteer.teamID == 0 ? .none : .text("\(volunteer.teamName) (\(volunteer.teamID))")),
        ]
        // The history is role-limited (not every caller may read it): its absence is not an outage.
        let history: Section
        do {
            let entries = try await historyCall.entries
            history = Section(id: sections[1].id, title: sections[1].title, table: Table(
                columns: [.init("at", Text("时间", "When")), .init("kind", Text("类型", "Kind")), .init("from", Text("从", "From")),
                          .init("to", Text("到", "To")), .init("actor", Text("操作人", "By")), .init("reason", Text("原因", "Reason"))],
                rows: entries.map { [.text($0.at), .text($0.kind), .text($0.from), .text($0.to), .text($0.actor), $0.reason.isEmpty ? .none : .text($0.reason)] }))
        } catch let error as RPCError {
            history = .unavailable(id: sections[1].id, title: sections[1].title, reason: "\(error.code) \(error.message)", code: error.code.description)
        }
        return [Section(id: sections[0].id, title: sections[0].title, fields: fields), history]
    }
}

/// The registry's part of the dashboard: recruitment against quotas by category and by unit.
struct RegistryDashboardPlugin: DashboardPlugin {
    let service = "registry"
    let sections: [(id: String, title: Text)] = [
        ("registry.categories", Text("招募进度（按类别）", "Recruitment by category")),
        ("registry.units", Text("招募进度（按单位）", "Recruitment by unit")),
    ]
    let figures: [(key: String, label: Text)] = [("recruitment", Text("招募", "Recruited"))]
    /// Units shown in a terminal table: the furthest behind their own quota.
    static let unitsOnTerminal = 10

    func dashboard(client: RPCClient, options: CallOptions, full: Bool) async throws -> DashboardPart {
        let progress: Pingan_Registry_V1_Progress = try await client.unary(RegistryMethods.getProgress, Pingan_Registry_V1_GetProgressRequest(), options: options)
        var rows: [[Value]] = progress.categories.map { category in
            [.int(category.number), .text(category.name), .text(category.mode), .int(category.quota), .int(category.enrolled),
             .percent(part: Int64(category.enrolled), whole: Int64(category.quota))]
        }
        rows.append([.none, .text("合计 total"), .none, .int(progress.totalQuota), .int(progress.totalEnrolled),
                     .percent(part: Int64(progress.totalEnrolled), whole: Int64(progress.totalQuota))])
        let categories = Section(id: sections[0].id, title: sections[0].title, table: Table(
            columns: [.init("category", Text("类别", "#")), .init("name", Text("名称", "Category")), .init("mode", Text("方式", "Mode")),
                      .init("quota", Text("指标", "Quota")), .init("enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%"))],
            rows: rows))
        var units = progress.units.filter { $0.quota > 0 }
        units.sort { (Double($0.quotaEnrolled) / Double($0.quota), $0.code) < (Double($1.quotaEnrolled) / Double($1.quota), $1.code) }
        if !full { units = Array(units.prefix(Self.unitsOnTerminal)) }
        var unitSection = Section(id: sections[1].id, title: sections[1].title, table: Table(
            columns: [.init("unit", Text("单位", "Unit")), .init("name", Text("名称", "Name")), .init("quota", Text("单位指标", "Own quota")),
                      .init("quota_enrolled", Text("已招募", "Enrolled")), .init("share", Text("完成率", "%")),
                      .init("all_enrolled", Text("全部在册", "All active"))],
            rows: units.map { [.text($0.code), .text($0.name), .int($0.quota), .int($0.quotaEnrolled),
                               .percent(part: Int64($0.quotaEnrolled), whole: Int64($0.quota)), .int($0.enrolled)] }))
        if !full { unitSection.title = Text("招募进度（落后最多的\(Self.unitsOnTerminal)个单位）", "Recruitment: the \(Self.unitsOnTerminal) units furthest behind") }
        return DashboardPart(sections: [categories, unitSection],
                             figures: ["recruitment": (Int64(progress.totalEnrolled), Int64(progress.totalQuota))])
    }
}

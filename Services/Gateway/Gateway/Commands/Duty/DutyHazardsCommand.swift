import ArgumentParser
import PinganDutyContracts

struct DutyHazardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hazards", abstract: "Hazard reports: open, overdue, counts by kind and unit.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "YYYY-MM-DD: the day overdue is judged on") var on: String
    @Option var unit: String?
    @Flag(help: "Only hazards past their due date.") var overdue = false
    @Flag(help: "Verified hazards too.") var includeVerified = false

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListHazardsRequest()
            request.on = on
            request.unitCode = unit ?? ""
            request.overdueOnly = overdue
            request.includeVerified = includeVerified
            let list = try await session.duty().listHazards(request, options: session.options)
            let hazards = Section(id: "duty.hazards", title: Text("隐患", "Hazards"), table: DutySection.hazardTable(list.hazards))
            let byUnit = Section(id: "duty.hazards_by_unit", title: Text("按单位", "By unit"), table: Table(
                columns: [.init("unit", Text("单位", "Unit")), .init("open", Text("未整改", "Open")), .init("overdue", Text("逾期", "Overdue"))],
                rows: list.byUnit.map { [.text($0.key), .int($0.open), .int($0.overdue)] }))
            session.print(Report(command: "duty hazards", sections: [hazards, byUnit]))
        }
    }
}

struct DutyReportHazardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report-hazard", abstract: "Report a public-order or fire hazard.")
    @OptionGroup var options: GatewayOptions
    @Option(help: "public_order or fire") var kind: String
    @Option var unit: String
    @Option var place: String
    @Option var description: String
    @Option(help: "YYYY-MM-DD") var on: String
    @Option(help: "The volunteer who noticed it (omit when reported by staff).") var reportedBy: Int64 = 0
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ReportHazardRequest()
            request.kind = kind
            request.unitCode = unit
            request.place = place
            request.description_p = description
            request.reportedOn = on
            request.reportedBy = reportedBy
            let hazard = try await session.duty().reportHazard(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "duty report-hazard", sections: [
                Section(id: "duty.hazard", title: Text("隐患", "Hazard"), table: DutySection.hazardTable([hazard]))]))
        }
    }
}

struct DutyAdvanceHazardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advance-hazard", abstract: "Move a hazard on: referred, rectifying, rectified, verified.")
    @OptionGroup var options: GatewayOptions
    @Argument var hazard: Int64
    @Option(help: "referred, rectifying, rectified or verified") var to: String
    @Option(help: "YYYY-MM-DD: the day it happened") var on: String
    @Option(help: "With --to referred: the department responsible") var department: String = ""
    @Option(help: "With --to referred: YYYY-MM-DD, the date it is due") var due: String = ""
    @Option var note: String = ""

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_AdvanceHazardRequest()
            request.id = hazard
            request.to = to
            request.on = on
            request.department = department
            request.dueOn = due
            request.note = note
            let moved = try await session.duty().advanceHazard(request, options: session.options)
            let steps = Section(id: "duty.hazard_steps", title: Text("处理经过", "Steps"), table: Table(
                columns: [.init("at", Text("日期", "On")), .init("from", Text("从", "From")), .init("to", Text("到", "To")),
                          .init("actor", Text("经办", "By")), .init("note", Text("说明", "Note"))],
                rows: moved.steps.map { [.text($0.at), .text($0.from), .text($0.to), .text($0.actor), .text($0.note)] }))
            session.print(Report(command: "duty advance-hazard", sections: [
                Section(id: "duty.hazard", title: Text("隐患", "Hazard"), table: DutySection.hazardTable([moved])), steps]))
        }
    }
}

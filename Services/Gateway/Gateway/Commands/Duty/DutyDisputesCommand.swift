import ArgumentParser
import PinganDutyContracts

struct DutyDisputesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disputes", abstract: "Dispute cases and their mediation (admins and coordinators only; each reading is on record).")
    @OptionGroup var options: GatewayOptions
    @Option var unit: String?
    @Flag(help: "Settled and referred cases too.") var includeClosed = false

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListDisputesRequest()
            request.unitCode = unit ?? ""
            request.includeClosed = includeClosed
            let list = try await session.duty().listDisputes(request, options: session.options)
            session.print(Report(command: "duty disputes", sections: [Section(id: "duty.disputes", title: Text("矛盾纠纷", "Disputes"), table: Table(
                columns: [.init("id", Text("编号", "Id")), .init("unit", Text("单位", "Unit")), .init("kind", Text("类别", "Kind")),
                          .init("parties", Text("当事人", "Parties")), .init("summary", Text("情况", "Summary")), .init("opened_on", Text("受理", "Opened")),
                          .init("status", Text("状态", "Status")), .init("steps", Text("调解次数", "Steps")), .init("closed", Text("结案", "Closed"))],
                rows: list.disputes.map {
                    [.integer($0.id), .text($0.unitCode), .text($0.kind), .text($0.parties.joined(separator: "、")), .text($0.summary),
                     .text($0.openedOn), .text($0.referredTo.isEmpty ? $0.status : "\($0.status) → \($0.referredTo)"), .int($0.steps.count),
                     $0.closedOn.isEmpty ? .none : .text($0.closedOn)]
                }))]))
        }
    }
}

import ArgumentParser
import PinganDutyContracts

struct DutyKeyPersonsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key-persons", abstract: "Key persons and their assistance (admins and coordinators only; each reading is on record).")
    @OptionGroup var options: GatewayOptions
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListKeyPersonsRequest()
            request.unitCode = unit ?? ""
            let list = try await session.duty().listKeyPersons(request, options: session.options)
            session.print(Report(command: "duty key-persons", sections: [Section(id: "duty.key_persons", title: Text("重点人员", "Key persons"), table: Table(
                columns: [.init("id", Text("编号", "Id")), .init("unit", Text("单位", "Unit")), .init("category", Text("类别", "Category")),
                          .init("name", Text("姓名", "Name")), .init("situation", Text("情况", "Situation")), .init("helper", Text("帮教志愿者", "Helper")),
                          .init("assistance", Text("帮教次数", "Assisted")), .init("last_assisted_on", Text("最近帮教", "Last assisted"))],
                rows: list.keyPersons.map {
                    [.integer($0.id), .text($0.unitCode), .text($0.category), .text($0.name), .text($0.situation),
                     $0.helperVolunteerID == 0 ? .none : .integer($0.helperVolunteerID), .int($0.assistanceCount),
                     $0.lastAssistedOn.isEmpty ? .none : .text($0.lastAssistedOn)]
                }))]))
        }
    }
}

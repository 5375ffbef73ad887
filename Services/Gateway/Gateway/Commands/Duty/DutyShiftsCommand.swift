import ArgumentParser
import PinganDutyContracts

struct DutyShiftsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "shifts", abstract: "A volunteer's or a post's shifts.")
    @OptionGroup var options: GatewayOptions
    @Option var volunteer: Int64?
    @Option var post: String?
    @Option(help: "YYYY-MM-DD, inclusive") var from: String?
    @Option(help: "YYYY-MM-DD, inclusive") var to: String?

    func validate() throws {
        if (volunteer == nil) == (post == nil) { throw ValidationError("give one of --volunteer and --post") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListShiftsRequest()
            request.volunteerID = volunteer ?? 0
            request.postCode = post ?? ""
            request.from = from ?? ""
            request.to = to ?? ""
            let list = try await session.duty().listShifts(request, options: session.options)
            session.print(Report(command: "duty shifts", sections: [
                Section(id: "duty.shifts", title: Text("班次", "Shifts"), table: DutySection.shiftTable(list.shifts))]))
        }
    }
}

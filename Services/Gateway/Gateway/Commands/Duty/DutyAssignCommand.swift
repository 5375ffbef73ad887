import ArgumentParser
import PinganDutyContracts

struct DutyAssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Put a volunteer on a post for a time window (active, qualified, not already on duty).")
    @OptionGroup var options: GatewayOptions
    @Argument var post: String
    @Argument var volunteer: Int64
    @Option(help: "YYYY-MM-DD HH:MM, Shanghai time") var starts: String
    @Option(help: "YYYY-MM-DD HH:MM, after --starts, at most 24 hours later") var ends: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_AssignShiftRequest()
            request.postCode = post
            request.volunteerID = volunteer
            request.starts = starts
            request.ends = ends
            let shift = try await session.duty().assignShift(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "duty assign", sections: [
                Section(id: "duty.shift", title: Text("班次", "Shift"), table: DutySection.shiftTable([shift]))]))
        }
    }
}

struct DutyCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a shift, with the reason on record.")
    @OptionGroup var options: GatewayOptions
    @Argument var shift: Int64
    @Option var reason: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_CancelShiftRequest()
            request.id = shift
            request.reason = reason
            let cancelled = try await session.duty().cancelShift(request, options: session.options)
            session.print(Report(command: "duty cancel", sections: [
                Section(id: "duty.shift", title: Text("班次", "Shift"), table: DutySection.shiftTable([cancelled]))]))
        }
    }
}

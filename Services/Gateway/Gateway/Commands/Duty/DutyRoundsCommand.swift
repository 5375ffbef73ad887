import ArgumentParser
import PinganDutyContracts

struct DutyCheckInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-in", abstract: "Record that the volunteer on a patrol shift reached a checkpoint of the route.")
    @OptionGroup var options: GatewayOptions
    @Argument var shift: Int64
    @Argument var checkpoint: String
    @Option(help: "YYYY-MM-DD HH:MM, within the shift") var at: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_CheckInRequest()
            request.shiftID = shift
            request.checkpoint = checkpoint
            request.at = at
            let round = try await session.duty().checkIn(request, options: session.options)
            var report = Report(command: "duty check-in", sections: [DutySection.roundSection(round)])
            if round.alreadyRecorded {
                report.notes = [Text("该点已签到，保留首次时间", "this checkpoint was already checked in; the first time stands")]
            }
            session.print(report)
        }
    }
}

struct DutyRoundsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rounds", abstract: "Patrol rounds of a volunteer or a post: checkpoints on time, late, missed.")
    @OptionGroup var options: GatewayOptions
    @Option var volunteer: Int64?
    @Option var post: String?
    @Option(help: "YYYY-MM-DD, inclusive") var from: String
    @Option(help: "YYYY-MM-DD, inclusive, at most 31 days after --from") var to: String
    @Option(help: "YYYY-MM-DD HH:MM: the moment missed is judged at (default: now in Shanghai)") var asOf: String?

    func validate() throws {
        if (volunteer == nil) == (post == nil) { throw ValidationError("give one of --volunteer and --post") }
    }

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListRoundsRequest()
            request.volunteerID = volunteer ?? 0
            request.postCode = post ?? ""
            request.from = from
            request.to = to
            request.asOf = asOf ?? ""
            let list = try await session.duty().listRounds(request, options: session.options)
            session.print(Report(command: "duty rounds", sections: [Section(
                id: "duty.rounds", title: Text("巡逻签到（截至 \(list.asOf)）", "Patrol rounds (as of \(list.asOf))"), table: Table(
                    columns: [.init("shift", Text("班次", "Shift")), .init("post", Text("岗位", "Post")), .init("volunteer_id", Text("编号", "Volunteer")),
                              .init("name", Text("姓名", "Name")), .init("starts", Text("开始", "Starts")), .init("checkpoints", Text("签到点", "Checkpoints")),
                              .init("late", Text("迟到", "Late")), .init("missed", Text("漏签", "Missed")), .init("complete", Text("完成", "Complete"))],
                    rows: list.rounds.map { round in
                        [.integer(round.shift.id), .text(round.shift.postCode), .integer(round.shift.volunteerID), .text(round.shift.volunteerName),
                         .text(round.shift.starts), .text(round.checkpoints.map { "\($0.name):\($0.state)" }.joined(separator: " ")),
                         .int(round.late), .int(round.missed), .bool(round.complete)]
                    }))]))
        }
    }
}

import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

struct TrainingEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enroll a volunteer (the registry must call them active).")
    @OptionGroup var options: GatewayOptions
    @Argument var sessionID: Int64
    @Argument var volunteer: Int64
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_EnrollRequest()
            request.sessionID = sessionID
            request.volunteerID = volunteer
            let enrolled: Pingan_Training_V1_Enrollment = try await session.training().enroll(request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "training enroll", sections: [Section(id: "training.enrollment", title: Text("报名", "Enrollment"), fields: [
                Field("session_id", Text("场次", "Session"), .integer(enrolled.sessionID)), Field("volunteer_id", Text("编号", "Volunteer"), .integer(enrolled.volunteerID)),
                Field("name", Text("姓名", "Name"), .text(enrolled.volunteerName)), Field("unit", Text("单位", "Unit"), .text(enrolled.unitCode)),
                Field("seats_left", Text("剩余名额", "Seats left"), .int(enrolled.seatsLeft)),
            ])]))
        }
    }
}

import ArgumentParser
import PinganDutyContracts

struct DutySavePostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save-post", abstract: "Create a post, or change the one with this code.",
        discussion: "A patrol post takes its route as --checkpoint NAME@MINUTES, in order, e.g. --checkpoint 居委会@0 --checkpoint 菜场@20.")
    @OptionGroup var options: GatewayOptions
    @Argument var code: String
    @Option(help: "publicity, patrol, station_guarding, hazard_information, dispute_mediation, key_person_assistance") var project: String
    @Option var unit: String
    @Option var place: String
    @Option(help: "What the person on the post does.") var duty: String
    @Option(help: "NAME@MINUTES from the start of a round; patrol posts: two or more, in order.") var checkpoint: [String] = []

    func validate() throws {
        for text in checkpoint where Self.checkpoint(text) == nil {
            throw ValidationError("--checkpoint '\(text)' is not NAME@MINUTES (e.g. 菜场@20)")
        }
    }

    static func checkpoint(_ text: String) -> Pingan_Duty_V1_Checkpoint? {
        guard let at = text.lastIndex(of: "@"), let minutes = Int32(text[text.index(after: at)...]) else { return nil }
        var point = Pingan_Duty_V1_Checkpoint()
        point.name = String(text[..<at])
        point.minutesFromStart = minutes
        return point
    }

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_SavePostRequest()
            request.code = code
            request.project = project
            request.unitCode = unit
            request.place = place
            request.duty = duty
            request.route = checkpoint.compactMap(Self.checkpoint)
            let post = try await session.duty().savePost(request, options: session.options)
            session.print(Report(command: "duty save-post", sections: [DutySection.postSection([post])]))
        }
    }
}

struct DutyRetirePostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire-post", abstract: "Take a post out of service; its shifts and history stay.")
    @OptionGroup var options: GatewayOptions
    @Argument var code: String
    @Option var reason: String

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_RetirePostRequest()
            request.code = code
            request.reason = reason
            let post = try await session.duty().retirePost(request, options: session.options)
            session.print(Report(command: "duty retire-post", sections: [DutySection.postSection([post])]))
        }
    }
}

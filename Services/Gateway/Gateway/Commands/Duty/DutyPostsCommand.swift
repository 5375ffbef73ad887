import ArgumentParser
import PinganDutyContracts

struct DutyPostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "posts", abstract: "Posts and their patrol routes.")
    @OptionGroup var options: GatewayOptions
    @Option var unit: String?
    @Option(help: "publicity, patrol, station_guarding, hazard_information, dispute_mediation, key_person_assistance") var project: String?
    @Flag(help: "Retired posts too.") var includeRetired = false

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Duty_V1_ListPostsRequest()
            request.unitCode = unit ?? ""
            request.project = project ?? ""
            request.includeRetired = includeRetired
            let list = try await session.duty().listPosts(request, options: session.options)
            session.print(Report(command: "duty posts", sections: [DutySection.postSection(list.posts)]))
        }
    }
}

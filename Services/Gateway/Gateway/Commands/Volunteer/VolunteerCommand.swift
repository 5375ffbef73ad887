import ArgumentParser
import PinganRPC

/// `pingan volunteer ...`
struct VolunteerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volunteer", abstract: "One volunteer across the services.", subcommands: [VolunteerShowCommand.self])
}

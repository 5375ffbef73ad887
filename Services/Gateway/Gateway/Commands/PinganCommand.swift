import ArgumentParser
import PinganRPC

/// `pingan`: the command line for the town office, operators and district staff.
public enum PinganCommand {
    /// The root command's configuration; the executable's `@main` type adopts it.
    public static let configuration = CommandConfiguration(
        commandName: "pingan",
        abstract: "Talk to the Pingan services.",
        version: PinganVersion.current,
        subcommands: [HealthCommand.self, ServicesCommand.self, VolunteerCommand.self, DashboardCommand.self, ReportCommand.self, WatchCommand.self]
            + GatewaySections.all.compactMap(\.commands) + [ImportCommand.self]
    )
}

import ArgumentParser
import PinganCatalog

/// `pingan duty ...`: posts and routes, shifts, activities, compliance, coverage, hazards.
struct DutyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceName.duty.rawValue, abstract: "Duty: posts, shifts, patrol rounds, activities, compliance, coverage, hazards.",
        subcommands: [DutyPostsCommand.self, DutySavePostCommand.self, DutyRetirePostCommand.self, DutyAssignCommand.self, DutyCancelCommand.self, DutyShiftsCommand.self, DutyCheckInCommand.self, DutyRoundsCommand.self, DutyWatchCommand.self,
                      DutyActivityCommand.self, DutyComplianceCommand.self, DutyCoverageCommand.self, DutyHazardsCommand.self,
                      DutyReportHazardCommand.self, DutyAdvanceHazardCommand.self, DutyKeyPersonsCommand.self, DutyDisputesCommand.self, DutyCommendationCommand.self])
}

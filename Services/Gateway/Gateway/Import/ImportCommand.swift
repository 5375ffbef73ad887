import ArgumentParser
import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan import ...`: CSV files into the services.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import CSV files: directed registration batches, attendance sheets.",
        discussion: "Exit status: 0 imported; 3 refused (nothing imported; every bad row is listed with its line, field and rule); 4 service unreachable; 64 usage, config or unreadable file.",
        subcommands: [ImportBatchCommand.self, ImportAttendanceCommand.self, ImportRotaCommand.self, ImportActivitiesCommand.self])
}

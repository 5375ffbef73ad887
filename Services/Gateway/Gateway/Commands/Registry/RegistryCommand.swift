import ArgumentParser
import PinganCatalog
import PinganRegistryContracts
import PinganRPCTransport

/// `pingan registry ...`: the registry's everyday operations.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceName.registry.rawValue, abstract: "Recruitment: progress, search, applications, decisions, teams.",
        subcommands: [RegistryProgressCommand.self, RegistrySearchCommand.self, RegistryApplyCommand.self, RegistryDecideCommand.self,
                      RegistryTeamsCommand.self, RegistryTransferCommand.self])
}

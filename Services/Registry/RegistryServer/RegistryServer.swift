import ArgumentParser
import Foundation
import PinganPersonalData
import PinganServiceHost
import Registry

/// `pingan-registry`: who is in the corps.
@main
struct RegistryServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-registry", abstract: "The Pingan registry service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let settings = try options.settings(defaultPort: 7401, environment: ProcessInfo.processInfo.environment)
        guard let database = settings.database else {
            throw ValidationError("--database is required (or set PINGAN_DATABASE, or \"database\" in the config file)")
        }
        guard let dataKey = settings.dataKey else {
            throw ValidationError("--data-key is required (or set PINGAN_DATA_KEY, or \"data_key\" in the config file)")
        }
        let key = try PersonalDataKey(contentsOf: dataKey)
        let store = try RegistryStore.open(path: database, cipher: PersonalDataCipher(key: key))
        let campaign = try settings.campaign.map(Campaign.load(from:)) ?? .expo2010
        try await ServiceHost.run(name: "pingan-registry", settings: settings, services: [RegistryService(store: store, campaign: campaign)])
    }
}

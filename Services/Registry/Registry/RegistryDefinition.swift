import ArgumentParser
import Logging
import PinganCatalog
import PinganPersonalData
import PinganRPC
import PinganServiceKit

/// `pingan-registry` as the service host builds it.
public enum RegistryDefinition: ServiceDefinition {
    public typealias Settings = RegistrySettings
    public static let name = ServiceName.registry

    public static func makeServices(_ settings: RegistrySettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let key = try PersonalDataKey(contentsOf: settings.dataKey)
        let store = try RegistryStore.open(path: settings.database, cipher: PersonalDataCipher(key: key))
        return ServiceParts(services: [RegistryService(store: store, campaign: settings.campaign)], store: store.handle)
    }
}

/// The registry's own settings.
public struct RegistrySettings: ServiceSettingsGroup {
    @Option(help: "SQLite database file (env PINGAN_DATABASE, config \"database\").")
    var database: String?

    @Option(help: "Personal-data key file, mode 0600 (env PINGAN_DATA_KEY, config \"data_key\"; deploy/make-data-key.sh makes one).")
    var dataKey: String?

    @Option(help: "Campaign file: phases, quotas and rules as JSON (env PINGAN_CAMPAIGN, config \"campaign\"; default: the embedded World Expo 2010 campaign).")
    var campaign: String?

    public init() {}

    public static let configKeys = ["database", "data_key", "campaign"]

    public struct Resolved: Sendable {
        public var database: String
        public var dataKey: String
        public var campaign: Campaign
    }

    public func resolve(_ source: SettingSource) throws -> Resolved {
        Resolved(database: try source.required(database, "database"), dataKey: try source.required(dataKey, "data_key"),
                 campaign: try source.text(campaign, "campaign").map(Campaign.load(from:)) ?? .expo2010)
    }
}

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

    public static func databasePath(_ settings: RegistrySettings.Resolved) -> String? { settings.database }

    public static func makeServices(_ settings: RegistrySettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let key = try PersonalDataKey(contentsOf: settings.dataKey)
        let store = try RegistryStore.open(path: settings.database, cipher: PersonalDataCipher(key: key))
        return ServiceParts(services: [RegistryService(store: store, campaign: settings.campaign)], store: store.handle)
    }

    /// `--rotate-data-key NEW`: re-seals and re-hashes the personal data under the new key,
    /// resumable, reporting progress on stdout; then the registry is started with the new key.
    public static func maintain(_ settings: RegistrySettings.Resolved, logger: Logger) async throws -> Bool {
        guard let newKeyPath = settings.rotateDataKey else { return false }
        let oldKey = try PersonalDataKey(contentsOf: settings.dataKey)
        let newKey = try PersonalDataKey(contentsOf: newKeyPath)
        let store = try RegistryStore.open(path: settings.database, cipher: PersonalDataCipher(key: oldKey), verifyingKey: false)
        let result = try store.rotateKey(to: PersonalDataCipher(key: newKey), actor: "operator (--rotate-data-key)") { progress in
            print("re-sealed \(progress.resealed) of \(progress.total) volunteers")
        }
        print("rotation finished: \(result.total) volunteers are sealed under the new key; start pingan-registry with --data-key \(newKeyPath)")
        return true
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

    @Option(help: "Re-seal all personal data under this new key file (with the current one as --data-key), then exit. Resumable: run it again after an interruption.")
    var rotateDataKey: String?

    public init() {}

    public static let configKeys = ["database", "data_key", "campaign"]

    public struct Resolved: Sendable {
        public var database: String
        public var dataKey: String
        public var campaign: Campaign
        public var rotateDataKey: String?
    }

    public func resolve(_ source: SettingSource) throws -> Resolved {
        Resolved(database: try source.required(database, "database"), dataKey: try source.required(dataKey, "data_key"),
                 campaign: try source.text(campaign, "campaign").map(Campaign.load(from:)) ?? .expo2010, rotateDataKey: rotateDataKey)
    }
}

import ArgumentParser
import Logging
import PinganCampaign
import PinganCatalog
import PinganPersonalData
import PinganRegistryContracts
import PinganRPC
import PinganServiceKit
import PinganTrainingContracts
import PinganVolunteerReplica

/// `pingan-duty` as the service host builds it.
public enum DutyDefinition: ServiceDefinition {
    public typealias Settings = DutySettings
    public static let name = ServiceName.duty

    public static func databasePath(_ settings: DutySettings.Resolved) -> String? { settings.database }

    public static func makeServices(_ settings: DutySettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let cipher = try settings.dataKey.map { path in PersonalDataCipher(key: try PersonalDataKey(contentsOf: path)) }
        let store = try DutyStore.open(path: settings.database, cipher: cipher)
        let follower = ReplicaFollower(replica: store.replica, registry: peers.transport(.registry), logger: logger)
        let directory = PeerDirectory(registry: RegistryClient(peers.transport(.registry)), training: TrainingClient(peers.transport(.training)),
                                      follower: follower)
        return ServiceParts(services: [DutyService(store: store, calendar: settings.calendar, directory: directory)], store: store.handle,
                            jobs: [{ await follower.run() }])
    }
}

/// The duty service's own settings.
public struct DutySettings: ServiceSettingsGroup {
    @Option(help: "SQLite database file (env PINGAN_DATABASE, config \"database\").")
    var database: String?

    @Option(help: "Campaign file: phases and monthly activity minimums as JSON (env PINGAN_CAMPAIGN, config \"campaign\"; default: the embedded World Expo 2010 campaign).")
    var campaign: String?

    @Option(help: "Personal-data key file for key persons, mode 0600 (env PINGAN_DATA_KEY, config \"data_key\"; deploy/make-data-key.sh makes one). Without it key persons are not kept.")
    var dataKey: String?

    public init() {}

    public static let configKeys = ["database", "campaign", "data_key"]

    public struct Resolved: Sendable {
        public var database: String
        public var calendar: CampaignCalendar
        public var dataKey: String?
    }

    public func resolve(_ source: SettingSource) throws -> Resolved {
        let calendar = try source.text(campaign, "campaign").map { try CampaignFile.load(CampaignCalendar.self, from: $0) } ?? .expo2010
        let problems = calendar.problems()
        guard problems.isEmpty else { throw ValidationError("campaign: \(problems.joined(separator: "; "))") }
        return Resolved(database: try source.required(database, "database"), calendar: calendar, dataKey: try source.text(dataKey, "data_key"))
    }
}

import ArgumentParser
import Logging
import PinganCampaign
import PinganCatalog
import PinganRegistryContracts
import PinganRPC
import PinganServiceKit
import PinganVolunteerReplica

/// `pingan-training` as the service host builds it.
public enum TrainingDefinition: ServiceDefinition {
    public typealias Settings = TrainingSettings
    public static let name = ServiceName.training

    public static func databasePath(_ settings: TrainingSettings.Resolved) -> String? { settings.database }

    public static func makeServices(_ settings: TrainingSettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let store = try TrainingStore.open(path: settings.database)
        let follower = ReplicaFollower(replica: store.replica, registry: peers.transport(.registry), logger: logger)
        let registry = RegistryDirectory(RegistryClient(peers.transport(.registry)), follower: follower)
        return ServiceParts(services: [TrainingService(store: store, calendar: settings.calendar, directory: registry)], store: store.handle,
                            jobs: [{ await follower.run() }])
    }
}

/// Training's own settings.
public struct TrainingSettings: ServiceSettingsGroup {
    @Option(help: "SQLite database file (env PINGAN_DATABASE, config \"database\").")
    var database: String?

    @Option(help: "Campaign file: phases and deadlines as JSON (env PINGAN_CAMPAIGN, config \"campaign\"; default: the embedded World Expo 2010 campaign).")
    var campaign: String?

    public init() {}

    public static let configKeys = ["database", "campaign"]

    public struct Resolved: Sendable {
        public var database: String
        public var calendar: CampaignCalendar
    }

    public func resolve(_ source: SettingSource) throws -> Resolved {
        let calendar = try source.text(campaign, "campaign").map { try CampaignFile.load(CampaignCalendar.self, from: $0) } ?? .expo2010
        let problems = calendar.problems()
        guard problems.isEmpty else { throw ValidationError("campaign: \(problems.joined(separator: "; "))") }
        return Resolved(database: try source.required(database, "database"), calendar: calendar)
    }
}

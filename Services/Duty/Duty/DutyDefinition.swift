import ArgumentParser
import Logging
import PinganCatalog
import PinganRPC
import PinganServiceKit

/// `pingan-duty` as the service host builds it.
public enum DutyDefinition: ServiceDefinition {
    public typealias Settings = DutySettings
    public static let name = ServiceName.duty

    public static func makeServices(_ settings: DutySettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let store = try DutyStore.open(path: settings.database)
        return ServiceParts(services: [DutyService(store: store)], store: store.handle)
    }
}

/// The duty service's own settings.
public struct DutySettings: ServiceSettingsGroup {
    @Option(help: "SQLite database file (env PINGAN_DATABASE, config \"database\").")
    var database: String?

    public init() {}

    public static let configKeys = ["database"]

    public struct Resolved: Sendable {
        public var database: String
    }

    public func resolve(_ source: SettingSource) throws -> Resolved {
        Resolved(database: try source.required(database, "database"))
    }
}

import ArgumentParser
import Logging
import PinganCatalog
import PinganDutyContracts
import PinganRPC
import PinganServiceKit

/// `pingan-finance` as the service host builds it.
public enum FinanceDefinition: ServiceDefinition {
    public typealias Settings = FinanceSettings
    public static let name = ServiceName.finance

    /// The ledger's movements are for the money's people only, as ListAccounts is.
    public static let feedAccess: Access = .only(.admin, .finance, .auditor, .service)

    public static func databasePath(_ settings: FinanceSettings.Resolved) -> String? { settings.database }

    public static func makeServices(_ settings: FinanceSettings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts {
        let store = try FinanceStore.open(path: settings.database)
        let months = DutyServedMonths(duty: DutyClient(peers.transport(.duty)))
        return ServiceParts(services: [FinanceService(store: store, months: months)], store: store.handle)
    }
}

/// The finance service's own settings.
public struct FinanceSettings: ServiceSettingsGroup {
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

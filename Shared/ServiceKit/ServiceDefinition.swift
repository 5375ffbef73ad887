import Logging
import PinganCatalog
import PinganRPC
import PinganStore

/// A Pingan service, as the host needs to know it: its catalog name, its own settings, and how
/// to build its RPC services from them and from clients of the peers it calls. The host
/// (`ServiceHost.build` / `run` in PinganServiceHost) adds everything else: the common options,
/// mutual TLS, the ACL, Health and Reflection, logging, metrics, signals and draining.
///
/// A new service conforms once, in its library, and its `@main` hands the type to the host
/// (see `Services/_Template`).
public protocol ServiceDefinition {
    /// The service's own settings (`--database`, ...), flags of its executable.
    associatedtype Settings: ServiceSettingsGroup

    /// Its name in the service catalog; default port and peers come from there.
    static var name: ServiceName { get }

    /// What it serves, built once at start. `peers` has a client for every peer the catalog
    /// lists for it, called with the service's own certificate.
    static func makeServices(_ settings: Settings.Resolved, peers: Peers, logger: Logger) async throws -> ServiceParts

    /// A maintenance action its settings ask for, run instead of serving (a data key
    /// rotation); true when it ran one, and the executable then exits.
    static func maintain(_ settings: Settings.Resolved, logger: Logger) async throws -> Bool

    /// The database file its settings name, for backups and restores; nil for a service
    /// without a store.
    static func databasePath(_ settings: Settings.Resolved) -> String?

    /// Who may follow its change feed: who may read its data.
    static var feedAccess: Access { get }
}

/// What a service definition builds: its RPC services and, for a service with a store, the
/// store's handle: its audit log (where the host keeps refused calls, served to auditors) and
/// its health (checked at start and on demand, watched while serving).
public struct ServiceParts: Sendable {
    public var services: [any RPCService]
    public var store: StoreHandle?
    /// Work that runs while the service serves (following a peer's feed): started with the
    /// server, cancelled when it stops.
    public var jobs: [@Sendable () async -> Void]

    public init(services: [any RPCService], store: StoreHandle?, jobs: [@Sendable () async -> Void] = []) {
        self.services = services
        self.store = store
        self.jobs = jobs
    }
}

extension ServiceDefinition {
    /// Its line of the catalog.
    public static var entry: ServiceEntry { ServiceCatalog.entry(name) }

    /// No maintenance actions.
    public static func maintain(_ settings: Settings.Resolved, logger: Logger) async throws -> Bool { false }

    /// No store.
    public static func databasePath(_ settings: Settings.Resolved) -> String? { nil }

    /// Any role: what most services answer to any role.
    public static var feedAccess: Access { .anyRole }
}

/// Clients of the services a service calls, by name.
public struct Peers: Sendable {
    private let transports: [ServiceName: any ClientTransport]

    public init(_ transports: [ServiceName: any ClientTransport]) {
        self.transports = transports
    }

    /// The client for `name`. The host makes one for every peer of the catalog entry, so asking
    /// for another is a programming error.
    public func transport(_ name: ServiceName) -> any ClientTransport {
        guard let transport = transports[name] else { preconditionFailure("\(name) is not a peer of this service in the catalog") }
        return transport
    }
}

/// The services of a Pingan deployment, written once: their names, executables, default ports,
/// what each owns and which others each calls. The service host, the gateway's local defaults
/// and config checks, and `deploy/run-local.sh` (through `pingan services`) all read it.
public enum ServiceCatalog {
    /// Every service, in the order they start (a service's peers come before it).
    public static let all: [ServiceEntry] = [
        ServiceEntry(name: .registry, defaultPort: 7401, summary: "units, categories and quotas, volunteers, applications, teams, staff roles"),
        ServiceEntry(name: .training, defaultPort: 7402, summary: "courses, sessions, enrollment, attendance, qualification",
                     peers: [.registry]),
        ServiceEntry(name: .duty, defaultPort: 7403, summary: "projects, posts and routes, shifts, activities, hazards, disputes",
                     peers: [.registry, .training]),
        ServiceEntry(name: .finance, defaultPort: 7404, summary: "funders, budgets, the ledger, equipment, allowances",
                     peers: [.duty]),
    ]

    /// The entry of `name`; every `ServiceName` constant has one.
    public static func entry(_ name: ServiceName) -> ServiceEntry {
        guard let entry = all.first(where: { $0.name == name }) else { preconditionFailure("\(name) is not in the service catalog") }
        return entry
    }

    /// The service called `text`, or nil.
    public static func named(_ text: String) -> ServiceEntry? {
        all.first { $0.name.rawValue == text }
    }

    /// The names, for error messages: "registry, training, duty, finance".
    public static var names: String {
        all.map(\.name.rawValue).joined(separator: ", ")
    }
}

/// One service of the catalog.
public struct ServiceEntry: Sendable, Hashable {
    public var name: ServiceName
    /// The port it listens on unless told otherwise.
    public var defaultPort: Int
    /// What it owns, in a line.
    public var summary: String
    /// The services it calls; each must be given to it as `--peer NAME=HOST:PORT`.
    public var peers: [ServiceName]

    public init(name: ServiceName, defaultPort: Int, summary: String, peers: [ServiceName] = []) {
        self.name = name
        self.defaultPort = defaultPort
        self.summary = summary
        self.peers = peers
    }

    /// The executable: `pingan-registry`.
    public var executable: String { "pingan-\(name.rawValue)" }

    /// Where it listens on this machine by default.
    public var localAddress: ServiceAddress { ServiceAddress(host: "127.0.0.1", port: defaultPort) }
}

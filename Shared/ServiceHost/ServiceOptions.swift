import ArgumentParser
import Foundation
import Logging
import PinganCatalog
import PinganServiceKit

/// The options every Pingan service takes. Each setting comes from, in order: its command-line
/// flag, its environment variable (`PINGAN_HOST`, ...), the JSON config file (`--config`,
/// `PINGAN_CONFIG`; keys as in `ServiceSettings`), or its built-in default. A service's own
/// settings are a `ServiceSettingsGroup` of its own, read from the same sources.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: "JSON config file; flags and PINGAN_* variables override it (env PINGAN_CONFIG).")
    public var config: String?

    @Option(help: "Address to listen on (env PINGAN_HOST, config \"host\"; default 127.0.0.1).")
    public var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env PINGAN_PORT, config \"port\"; default: the service's, see `pingan services`).")
    public var port: Int?

    @Option(help: "PEM certificate chain of this service (env PINGAN_CERT, config \"cert\").")
    public var cert: String?

    @Option(help: "PEM private key of the certificate (env PINGAN_KEY, config \"key\").")
    public var key: String?

    @Option(help: "PEM CA that callers' certificates must chain to (env PINGAN_CA, config \"ca\").")
    public var ca: String?

    @Option(help: "ACL file mapping caller identities to roles and units; reloaded on SIGHUP (env PINGAN_ACL, config \"acl\").")
    public var acl: String?

    @Option(help: "PEM certificate revocation list of the CA: revoked peers are refused at the handshake; reloaded on SIGHUP with the certificate (env PINGAN_CRL, config \"crl\").")
    public var crl: String?

    @Option(help: "Prometheus /metrics port on 127.0.0.1; 0 picks a free one (env PINGAN_METRICS_PORT, config \"metrics_port\"; default: port + 2000).")
    public var metricsPort: Int?

    @Option(help: "On SIGTERM, seconds that calls in flight get to finish (env PINGAN_DRAIN_SECONDS, config \"drain_seconds\"; default 10).")
    public var drainSeconds: Int?

    @Option(name: .customLong("peer"),
            help: "NAME=HOST:PORT of a service this one calls; repeat per peer (env PINGAN_PEERS, comma-separated; config \"peers\": {\"NAME\": \"HOST:PORT\"}).")
    public var peers: [String] = []

    @Option(help: "Days the change feed keeps its events (env PINGAN_FEED_RETENTION_DAYS, config \"feed_retention_days\"; default 30).")
    public var feedRetentionDays: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env PINGAN_LOG_LEVEL, config \"log_level\"; default info).")
    public var logLevel: String?

    @Flag(help: "Check the whole database (SQLite's integrity check), print what it found and exit: 0 intact, 1 damaged. Run it after a restore.")
    public var checkDatabase = false

    @Option(help: "Write an online backup of the database into this directory (checked, with a manifest), keep the newest --keep, and exit; safe while the service runs.")
    public var backup: String?

    @Option(help: "With --backup: how many of the service's backups the directory keeps (default 14).")
    public var keep: Int = 14

    @Option(help: "Restore this backup in place of the database and exit: refused for another service's backup, a damaged one, or one from a newer version. Stop the service first.")
    public var restore: String?

    public init() {}

    /// The config keys these options read.
    public static let configKeys: Set<String> = ["host", "port", "cert", "key", "ca", "acl", "crl", "metrics_port", "drain_seconds", "peers", "log_level", "feed_retention_days"]

    /// Checks the flags themselves; what depends on the environment and the config file is
    /// checked when `settings` resolves them.
    public func validate() throws {
        for (name, value) in [("--port", port), ("--metrics-port", metricsPort)] {
            if let value, !(0...65535).contains(value) { throw ValidationError("\(name) \(value) is outside 0-65535") }
        }
        guard keep >= 1 else { throw ValidationError("--keep \(keep) must be at least 1") }
        guard backup == nil || restore == nil else { throw ValidationError("--backup and --restore: give one") }
    }

    /// The sources behind the flags, for a service whose own settings read `ownKeys`.
    public func source(environment: [String: String], ownKeys: [String] = []) throws -> SettingSource {
        try SettingSource(path: config, environment: environment, knownKeys: Self.configKeys.union(ownKeys))
    }

    /// Every common setting of `service` resolved from flag, environment, config file and default, checked.
    public func settings(for service: ServiceEntry, source: SettingSource) throws -> ServiceSettings {
        let port = try source.number(self.port, "port") ?? service.defaultPort
        let metricsPort = try source.number(self.metricsPort, "metrics_port") ?? (port == 0 ? 0 : port + 2000)
        let drain = try source.number(drainSeconds, "drain_seconds") ?? 10
        let level = try source.text(logLevel, "log_level") ?? "info"
        for (name, value) in [("port", port), ("metrics port", metricsPort)] where !(0...65535).contains(value) {
            throw ValidationError("\(name) \(value) is outside 0-65535")
        }
        guard (0...600).contains(drain) else { throw ValidationError("drain seconds \(drain) is outside 0-600") }
        let retention = try source.number(feedRetentionDays, "feed_retention_days") ?? 30
        guard (1...3650).contains(retention) else { throw ValidationError("feed retention days \(retention) is outside 1-3650") }
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ValidationError("log level '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return ServiceSettings(
            host: try source.text(host, "host") ?? "127.0.0.1",
            port: port,
            cert: try source.required(cert, "cert"),
            key: try source.required(key, "key"),
            ca: try source.required(ca, "ca"),
            acl: try source.required(acl, "acl"),
            crl: try source.text(crl, "crl"),
            metricsPort: metricsPort,
            drainSeconds: drain,
            feedRetentionDays: retention,
            peers: try peerAddresses(for: service, source: source),
            logLevel: logLevel)
    }

    /// The peers `service` calls, from `--peer`, else PINGAN_PEERS, else the config's "peers";
    /// every peer of the catalog entry must be given, and no other.
    func peerAddresses(for service: ServiceEntry, source: SettingSource) throws -> [ServiceName: ServiceAddress] {
        let written: [String] = if !peers.isEmpty {
            peers
        } else if let variable = source.environmentValue(named: "PINGAN_PEERS") {
            variable.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            try source.table("peers").sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        }
        var addresses: [ServiceName: ServiceAddress] = [:]
        for text in written {
            let peer: PeerAddress
            do { peer = try PeerAddress.parse(text) } catch { throw ValidationError("peer \(error)") }
            guard service.peers.contains(peer.name) else {
                let expected = service.peers.isEmpty ? "it calls no other service" : "it calls \(service.peers.map(\.rawValue).joined(separator: ", "))"
                throw ValidationError("peer \(peer.name): \(service.executable) does not call \(peer.name) (\(expected))")
            }
            addresses[peer.name] = peer.address
        }
        if let missing = service.peers.first(where: { addresses[$0] == nil }) {
            throw ValidationError("--peer \(missing)=HOST:PORT is required (or PINGAN_PEERS, or \"peers\": {\"\(missing)\": \"HOST:PORT\"} in the config file)")
        }
        return addresses
    }
}

/// A service's common settings once every source has been consulted.
public struct ServiceSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var cert: String
    public var key: String
    public var ca: String
    public var acl: String
    /// The CA's revocation list, if revocation is checked.
    public var crl: String?
    public var metricsPort: Int
    public var drainSeconds: Int
    /// Days the change feed keeps its events.
    public var feedRetentionDays: Int
    /// Where each service this one calls listens.
    public var peers: [ServiceName: ServiceAddress]
    public var logLevel: Logger.Level

    public init(host: String = "127.0.0.1", port: Int, cert: String, key: String, ca: String, acl: String, crl: String? = nil, metricsPort: Int = 0,
                drainSeconds: Int = 10, feedRetentionDays: Int = 30, peers: [ServiceName: ServiceAddress] = [:], logLevel: Logger.Level = .info) {
        self.host = host
        self.port = port
        self.cert = cert
        self.key = key
        self.ca = ca
        self.acl = acl
        self.crl = crl
        self.metricsPort = metricsPort
        self.drainSeconds = drainSeconds
        self.feedRetentionDays = feedRetentionDays
        self.peers = peers
        self.logLevel = logLevel
    }
}

import ArgumentParser
import Foundation
import Logging

/// The options every Pingan service takes. Each setting comes from, in order: its command-line
/// flag, its environment variable (`PINGAN_HOST`, ...), the JSON config file (`--config`,
/// `PINGAN_CONFIG`; keys as in `ServiceSettings`), or its built-in default.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: "JSON config file; flags and PINGAN_* variables override it (env PINGAN_CONFIG).")
    public var config: String?

    @Option(help: "Address to listen on (env PINGAN_HOST, config \"host\"; default 127.0.0.1).")
    public var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (env PINGAN_PORT, config \"port\").")
    public var port: Int?

    @Option(help: "PEM certificate chain of this service (env PINGAN_CERT, config \"cert\").")
    public var cert: String?

    @Option(help: "PEM private key of the certificate (env PINGAN_KEY, config \"key\").")
    public var key: String?

    @Option(help: "PEM CA that callers' certificates must chain to (env PINGAN_CA, config \"ca\").")
    public var ca: String?

    @Option(help: "ACL file mapping caller identities to roles and units; reloaded on SIGHUP (env PINGAN_ACL, config \"acl\").")
    public var acl: String?

    @Option(help: "Prometheus /metrics port on 127.0.0.1; 0 picks a free one (env PINGAN_METRICS_PORT, config \"metrics_port\"; default: port + 2000).")
    public var metricsPort: Int?

    @Option(help: "On SIGTERM, seconds that calls in flight get to finish (env PINGAN_DRAIN_SECONDS, config \"drain_seconds\"; default 10).")
    public var drainSeconds: Int?

    @Option(help: "SQLite database file (env PINGAN_DATABASE, config \"database\").")
    public var database: String?

    @Option(help: "Personal-data key file, mode 0600 (env PINGAN_DATA_KEY, config \"data_key\").")
    public var dataKey: String?

    @Option(help: "Campaign file: phases, quotas and rules as JSON (env PINGAN_CAMPAIGN, config \"campaign\"; default: the embedded World Expo 2010 campaign).")
    public var campaign: String?

    @Option(help: "The registry's address host:port, for services that check volunteers with it (env PINGAN_REGISTRY, config \"registry\").")
    public var registry: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env PINGAN_LOG_LEVEL, config \"log_level\"; default info).")
    public var logLevel: String?

    public init() {}

    /// Checks the flags themselves; what depends on the environment and the config file is
    /// checked when `settings` resolves them.
    public func validate() throws {
        for (name, value) in [("--port", port), ("--metrics-port", metricsPort)] {
            if let value, !(0...65535).contains(value) { throw ValidationError("\(name) \(value) is outside 0-65535") }
        }
    }

    /// Every setting resolved from flag, environment, config file and default, checked.
    public func settings(defaultPort: Int, environment: [String: String]) throws -> ServiceSettings {
        let file = try ServiceSettings.File.load(config ?? environment.nonEmpty("PINGAN_CONFIG"))
        func text(_ flag: String?, _ variable: String, _ fileValue: String?) -> String? {
            flag ?? environment.nonEmpty(variable) ?? fileValue
        }
        func number(_ flag: Int?, _ variable: String, _ fileValue: Int?, _ name: String) throws -> Int? {
            if let flag { return flag }
            if let value = environment.nonEmpty(variable) {
                guard let number = Int(value) else { throw ValidationError("\(variable) '\(value)' is not a whole number") }
                return number
            }
            return fileValue
        }
        func required(_ value: String?, _ flag: String, _ variable: String, _ key: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw ValidationError("\(flag) is required (or set \(variable), or \"\(key)\" in the config file)")
            }
            return value
        }

        let port = try number(self.port, "PINGAN_PORT", file.port, "port") ?? defaultPort
        let metricsPort = try number(self.metricsPort, "PINGAN_METRICS_PORT", file.metrics_port, "metrics_port") ?? (port == 0 ? 0 : port + 2000)
        let drain = try number(drainSeconds, "PINGAN_DRAIN_SECONDS", file.drain_seconds, "drain_seconds") ?? 10
        let level = text(logLevel, "PINGAN_LOG_LEVEL", file.log_level) ?? "info"
        for (name, value) in [("port", port), ("metrics port", metricsPort)] where !(0...65535).contains(value) {
            throw ValidationError("\(name) \(value) is outside 0-65535")
        }
        guard (0...600).contains(drain) else { throw ValidationError("drain seconds \(drain) is outside 0-600") }
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ValidationError("log level '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return ServiceSettings(
            host: text(host, "PINGAN_HOST", file.host) ?? "127.0.0.1",
            port: port,
            cert: try required(text(cert, "PINGAN_CERT", file.cert), "--cert", "PINGAN_CERT", "cert"),
            key: try required(text(key, "PINGAN_KEY", file.key), "--key", "PINGAN_KEY", "key"),
            ca: try required(text(ca, "PINGAN_CA", file.ca), "--ca", "PINGAN_CA", "ca"),
            acl: try required(text(acl, "PINGAN_ACL", file.acl), "--acl", "PINGAN_ACL", "acl"),
            metricsPort: metricsPort,
            drainSeconds: drain,
            database: text(database, "PINGAN_DATABASE", file.database),
            dataKey: text(dataKey, "PINGAN_DATA_KEY", file.data_key),
            campaign: text(campaign, "PINGAN_CAMPAIGN", file.campaign),
            registry: text(registry, "PINGAN_REGISTRY", file.registry),
            logLevel: logLevel)
    }
}

/// A service's settings once every source has been consulted.
public struct ServiceSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var cert: String
    public var key: String
    public var ca: String
    public var acl: String
    public var metricsPort: Int
    public var drainSeconds: Int
    public var database: String?
    public var dataKey: String?
    public var campaign: String?
    public var registry: String?
    public var logLevel: Logger.Level

    /// The config file's shape: every key optional; unknown keys are refused (a typo would
    /// otherwise silently fall back to a default).
    struct File: Decodable {
        var host: String?
        var port: Int?
        var cert: String?
        var key: String?
        var ca: String?
        var acl: String?
        var metrics_port: Int?
        var drain_seconds: Int?
        var database: String?
        var data_key: String?
        var campaign: String?
        var registry: String?
        var log_level: String?

        static let keys: Set<String> = ["host", "port", "cert", "key", "ca", "acl", "metrics_port", "drain_seconds", "database", "data_key",
                                        "campaign", "registry", "log_level"]

        static func load(_ path: String?) throws -> File {
            guard let path else { return File() }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("config file \(path) cannot be read")
            }
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            guard let object else { throw ValidationError("config file \(path) is not a JSON object") }
            if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
                throw ValidationError("config file \(path): unknown key \"\(unknown)\" (known: \(keys.sorted().joined(separator: ", ")))")
            }
            do {
                return try JSONDecoder().decode(File.self, from: data)
            } catch let DecodingError.typeMismatch(_, context) {
                throw ValidationError("config file \(path): \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type")
            } catch {
                throw ValidationError("config file \(path): \(error)")
            }
        }
    }
}

extension [String: String] {
    /// The variable's value, treating an empty one as unset.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }
}

/// Reads environment variables, treating empty ones as unset.
public enum Environment {
    public static func value(_ name: String) -> String? {
        ProcessInfo.processInfo.environment.nonEmpty(name)
    }
}

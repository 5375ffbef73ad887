import ArgumentParser
import Logging

/// The command-line options every Pingan service takes; each falls back to an environment
/// variable (`PINGAN_HOST`, `PINGAN_PORT`, ...) so systemd units can set them either way.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(help: "Address to listen on (env PINGAN_HOST).")
    public var host: String = Environment.value("PINGAN_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (env PINGAN_PORT).")
    public var port: Int?

    @Option(help: "PEM certificate chain of this service (env PINGAN_CERT).")
    public var cert: String = Environment.value("PINGAN_CERT") ?? ""

    @Option(help: "PEM private key of the certificate (env PINGAN_KEY).")
    public var key: String = Environment.value("PINGAN_KEY") ?? ""

    @Option(help: "PEM CA certificates that callers' certificates must chain to (env PINGAN_CA).")
    public var ca: String = Environment.value("PINGAN_CA") ?? ""

    @Option(help: "JSON file mapping caller identities to roles and units; reloaded on SIGHUP (env PINGAN_ACL).")
    public var acl: String = Environment.value("PINGAN_ACL") ?? ""

    @Option(help: "Local port for Prometheus metrics at /metrics on 127.0.0.1; 0 picks a free one (default: the service port + 2000; env PINGAN_METRICS_PORT).")
    public var metricsPort: Int?

    @Option(help: "On SIGTERM, seconds that calls in flight get to finish (env PINGAN_DRAIN_SECONDS).")
    public var drainSeconds: Int = Environment.value("PINGAN_DRAIN_SECONDS").flatMap { Int($0) } ?? 10

    @Option(help: "trace, debug, info, notice, warning, error or critical (env PINGAN_LOG_LEVEL).")
    public var logLevel: String = Environment.value("PINGAN_LOG_LEVEL") ?? "info"

    public init() {}

    public func validate() throws {
        for (flag, value) in [("--cert", cert), ("--key", key), ("--ca", ca), ("--acl", acl)] where value.isEmpty {
            throw ValidationError("\(flag) is required (or set PINGAN_\(flag.dropFirst(2).uppercased()))")
        }
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port \(port) is outside 0-65535")
        }
        if let metricsPort, !(0...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port \(metricsPort) is outside 0-65535")
        }
        guard (0...600).contains(drainSeconds) else {
            throw ValidationError("--drain-seconds \(drainSeconds) is outside 0-600")
        }
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The metrics port from the flag, else `PINGAN_METRICS_PORT`, else `servicePort + 2000`.
    func resolvedMetricsPort(servicePort: Int) throws -> Int {
        if let metricsPort { return metricsPort }
        guard let text = Environment.value("PINGAN_METRICS_PORT") else { return servicePort == 0 ? 0 : servicePort + 2000 }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("PINGAN_METRICS_PORT '\(text)' is not a port number (0-65535)")
        }
        return port
    }

    /// The port from the flag, else `PINGAN_PORT`, else the service's default.
    func resolvedPort(default defaultPort: Int) throws -> Int {
        if let port { return port }
        guard let text = Environment.value("PINGAN_PORT") else { return defaultPort }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ValidationError("PINGAN_PORT '\(text)' is not a port number (0-65535)")
        }
        return port
    }
}

/// Reads environment variables, treating empty ones as unset.
public enum Environment {
    public static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

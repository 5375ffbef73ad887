import Foundation
import PinganCatalog

/// Which towns the gateway knows and how to reach each town's services, and the client
/// certificate it presents. Read from a JSON file (snake_case keys), environment overrides on
/// top; without a file, one town "local" with the four services on 127.0.0.1:7401-7404.
///
/// ```json
/// {"client": {"cert": "office.pem", "key": "office.key", "ca": "ca.pem"},
///  "default_town": "xinqiao",
///  "towns": [{"code": "xinqiao", "name": "新桥镇",
///             "services": {"registry": "127.0.0.1:7401", "training": "127.0.0.1:7402"}}]}
/// ```
public struct GatewayConfig: Sendable, Hashable {
    public struct Town: Sendable, Hashable {
        public var code: String
        public var name: String
        /// Where each of the town's services listens.
        public var services: [ServiceName: ServiceAddress]

        public init(code: String, name: String, services: [ServiceName: ServiceAddress]) {
            self.code = code
            self.name = name
            self.services = services
        }
    }

    public var towns: [Town]
    public var defaultTown: String
    public var cert: String
    public var key: String
    public var ca: String

    /// Every service of the catalog on this machine at its default port.
    public static let local = Town(code: "local", name: "本地 local",
                                   services: Dictionary(uniqueKeysWithValues: ServiceCatalog.all.map { ($0.name, $0.localAddress) }))

    public func town(_ code: String?) throws(ConfigError) -> Town {
        let wanted = code ?? defaultTown
        guard let town = towns.first(where: { $0.code == wanted }) else {
            throw ConfigError(source: "--town", message: "'\(wanted)' is not a town of the config (\(towns.map(\.code).joined(separator: ", ")))")
        }
        return town
    }

    /// The per-user config, `$XDG_CONFIG_HOME/pingan/gateway.json` (`~/.config/...` without
    /// XDG_CONFIG_HOME), when it exists: `make run` and the install script write it, so
    /// `pingan` finds its towns and certificate without flags.
    /// Then the system's, `$XDG_CONFIG_DIRS/pingan/gateway.json` (`/etc/xdg/...`), which the
    /// install script writes.
    public static func standardPath(environment: [String: String]) -> String? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let user = value("XDG_CONFIG_HOME") ?? value("HOME").map { "\($0)/.config" }
        let system = (value("XDG_CONFIG_DIRS") ?? "/etc/xdg").split(separator: ":").map(String.init)
        return ([user].compactMap { $0 } + system).map { "\($0)/pingan/gateway.json" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The file at `path` (none: the local defaults), then `environment` on top:
    /// PINGAN_CLIENT_CERT, PINGAN_CLIENT_KEY, PINGAN_CA, PINGAN_TOWN.
    public static func load(path: String?, environment: [String: String]) throws(ConfigError) -> GatewayConfig {
        var config = GatewayConfig(towns: [local], defaultTown: "local", cert: "", key: "", ca: "")
        if let path { config = try parse(path: path) }
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        config.cert = value("PINGAN_CLIENT_CERT") ?? config.cert
        config.key = value("PINGAN_CLIENT_KEY") ?? config.key
        config.ca = value("PINGAN_CA") ?? config.ca
        config.defaultTown = value("PINGAN_TOWN") ?? config.defaultTown
        for (name, key) in [("cert", "PINGAN_CLIENT_CERT"), ("key", "PINGAN_CLIENT_KEY"), ("ca", "PINGAN_CA")] {
            let current = name == "cert" ? config.cert : name == "key" ? config.key : config.ca
            if current.isEmpty {
                throw ConfigError(source: path ?? "environment", message: "client.\(name) is not set (in the config file, or \(key))")
            }
        }
        return config
    }

    static func parse(path: String) throws(ConfigError) -> GatewayConfig {
        func fail(_ message: String) -> ConfigError { ConfigError(source: path, message: message) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot be read") }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw fail("is not a JSON object") }
        for key in root.keys where !["client", "towns", "default_town"].contains(key) {
            throw fail("\(key): unknown key (expected client, towns, default_town)")
        }
        var config = GatewayConfig(towns: [], defaultTown: "", cert: "", key: "", ca: "")
        if let client = root["client"] {
            guard let client = client as? [String: Any] else { throw fail("client: must be an object with cert, key, ca") }
            for (key, value) in client {
                guard let text = value as? String else { throw fail("client.\(key): must be a path (text)") }
                switch key {
                case "cert": config.cert = resolve(text, relativeTo: path)
                case "key": config.key = resolve(text, relativeTo: path)
                case "ca": config.ca = resolve(text, relativeTo: path)
                default: throw fail("client.\(key): unknown key (expected cert, key, ca)")
                }
            }
        }
        guard let towns = root["towns"] as? [[String: Any]], !towns.isEmpty else { throw fail("towns: must be a non-empty list of towns") }
        for (index, town) in towns.enumerated() {
            let field = "towns[\(index)]"
            for key in town.keys where !["code", "name", "services"].contains(key) {
                throw fail("\(field).\(key): unknown key (expected code, name, services)")
            }
            guard let code = town["code"] as? String, !code.isEmpty else { throw fail("\(field).code: must be non-empty text") }
            guard !config.towns.contains(where: { $0.code == code }) else { throw fail("\(field).code: '\(code)' is used twice") }
            guard let services = town["services"] as? [String: Any], !services.isEmpty else {
                throw fail("\(field).services: must map service names (\(ServiceCatalog.names)) to host:port")
            }
            var endpoints: [ServiceName: ServiceAddress] = [:]
            for (name, address) in services {
                guard let entry = ServiceCatalog.named(name) else {
                    throw fail("\(field).services.\(name): unknown service (expected \(ServiceCatalog.names))")
                }
                guard let text = address as? String, let endpoint = ServiceAddress(text) else {
                    throw fail("\(field).services.\(name): '\(address)' is not host:port")
                }
                endpoints[entry.name] = endpoint
            }
            config.towns.append(Town(code: code, name: (town["name"] as? String) ?? code, services: endpoints))
        }
        config.defaultTown = (root["default_town"] as? String) ?? config.towns[0].code
        guard config.towns.contains(where: { $0.code == config.defaultTown }) else {
            throw fail("default_town: '\(config.defaultTown)' is not one of the towns")
        }
        return config
    }

    /// Paths in the file are relative to the file.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }
}

/// A wrong or missing setting, naming where it came from and the key.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var source: String
    public var message: String

    public var description: String { "config \(source): \(message)" }
}

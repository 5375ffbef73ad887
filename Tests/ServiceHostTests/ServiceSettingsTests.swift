import Foundation
import PinganCatalog
import PinganServiceHost
import PinganServiceKit
import Testing

@Suite("Service settings: flag, then environment, then config file, then default")
struct ServiceSettingsTests {
    static func configFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-config-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let complete = #"{"cert": "/f/cert.pem", "key": "/f/key.pem", "ca": "/f/ca.pem", "acl": "/f/acl.json", "port": 7501, "log_level": "debug"}"#
    static let flags = ["--cert", "/c", "--key", "/k", "--ca", "/a", "--acl", "/l"]

    /// The common settings of `service` from `arguments` and `environment`.
    static func settings(_ arguments: [String], environment: [String: String] = [:], service: ServiceName = .registry,
                         ownKeys: [String] = []) throws -> ServiceSettings {
        let options = try ServiceOptions.parse(arguments)
        return try options.settings(for: ServiceCatalog.entry(service), source: options.source(environment: environment, ownKeys: ownKeys))
    }

    @Test func precedence() throws {
        let path = try Self.configFile(Self.complete)
        let settings = try Self.settings(["--config", path, "--cert", "/flag/cert.pem"], environment: ["PINGAN_KEY": "/env/key.pem", "PINGAN_PORT": "7601"])
        #expect(settings.cert == "/flag/cert.pem")      // flag beats file
        #expect(settings.key == "/env/key.pem")         // environment beats file
        #expect(settings.ca == "/f/ca.pem")             // file beats default
        #expect(settings.port == 7601)
        #expect(settings.metricsPort == 9601)           // derived default
        #expect(settings.host == "127.0.0.1")           // built-in default
        #expect(settings.logLevel == .debug)
        #expect(settings.drainSeconds == 10)
    }

    @Test("the default port is the catalog's", arguments: ServiceCatalog.all)
    func defaultPortFromCatalog(_ entry: ServiceEntry) throws {
        let peers = entry.peers.flatMap { ["--peer", "\($0)=127.0.0.1:\(ServiceCatalog.entry($0).defaultPort)"] }
        #expect(try Self.settings(Self.flags + peers, service: entry.name).port == entry.defaultPort)
    }

    @Test("the config file can come from PINGAN_CONFIG")
    func configFromEnvironment() throws {
        let path = try Self.configFile(Self.complete)
        #expect(try Self.settings([], environment: ["PINGAN_CONFIG": path]).port == 7501)
    }

    @Test("each bad configuration names what is wrong", arguments: [
        (#"{"cert": "/c"}"#, "--key is required (or set PINGAN_KEY, or \"key\" in the config file)"),
        (#"{"portt": 1}"#, "unknown key \"portt\""),
        (#"{"database": "/d"}"#, "unknown key \"database\""),
        (#"{"port": "7401"}"#, "\"port\" has the wrong type"),
        (#"[1, 2]"#, "is not a JSON object"),
        (#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "port": 70000}"#, "port 70000 is outside 0-65535"),
        (#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "log_level": "loud"}"#, "log level 'loud' is not one of"),
        (#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "peers": {"registry": 7401}}"#, "a table must map names to text"),
    ])
    func badConfigurations(_ json: String, _ message: String) throws {
        let path = try Self.configFile(json)
        #expect {
            try Self.settings(["--config", path])
        } throws: { "\($0)".contains(message) }
    }

    @Test func missingConfigFile() {
        #expect {
            try Self.settings(["--config", "/nonexistent/pingan.json"])
        } throws: { "\($0)".contains("config file /nonexistent/pingan.json cannot be read") }
    }

    @Test("a service's own keys are known to its config file, and only to its")
    func ownKeys() throws {
        let path = try Self.configFile(#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "database": "/d"}"#)
        #expect(try Self.settings(["--config", path], ownKeys: ["database"]).cert == "/c")
        let options = try ServiceOptions.parse(["--config", path])
        let source = try options.source(environment: [:], ownKeys: ["database"])
        #expect(try source.required(nil, "database") == "/d")
        #expect(try source.required("/flag", "database") == "/flag")
        #expect(throws: (any Error).self) { try source.required(nil, "data_key") }
    }

    @Test("peers come from --peer, then PINGAN_PEERS, then the config's \"peers\"")
    func peers() throws {
        let fromFlag = try Self.settings(Self.flags + ["--peer", "registry=10.0.0.1:7401"], service: .training)
        #expect(fromFlag.peers == [.registry: ServiceAddress(host: "10.0.0.1", port: 7401)])
        let fromEnvironment = try Self.settings(Self.flags, environment: ["PINGAN_PEERS": "registry=[::1]:7501"], service: .training)
        #expect(fromEnvironment.peers == [.registry: ServiceAddress(host: "::1", port: 7501)])
        let path = try Self.configFile(#"{"peers": {"registry": "localhost:7601"}}"#)
        let fromFile = try Self.settings(Self.flags + ["--config", path], service: .training)
        #expect(fromFile.peers == [.registry: ServiceAddress(host: "localhost", port: 7601)])
    }

    @Test("a missing, unknown or foreign peer is refused, naming the fix", arguments: [
        ([], "--peer registry=HOST:PORT is required"),
        (["--peer", "registry=nowhere"], "registry: 'nowhere' is not HOST:PORT"),
        (["--peer", "payroll=127.0.0.1:1"], "'payroll' is not a service (expected one of registry, training, duty, finance)"),
        (["--peer", "registry=127.0.0.1:7401", "--peer", "duty=127.0.0.1:7403"], "pingan-training does not call duty (it calls registry)"),
    ])
    func badPeers(_ arguments: [String], _ message: String) {
        #expect {
            try Self.settings(Self.flags + arguments, service: .training)
        } throws: { "\($0)".contains(message) }
    }
}

import Foundation
import PinganServiceHost
import Testing

@Suite("Service settings: flag, then environment, then config file, then default")
struct ServiceSettingsTests {
    static func configFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-config-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let complete = #"{"cert": "/f/cert.pem", "key": "/f/key.pem", "ca": "/f/ca.pem", "acl": "/f/acl.json", "port": 7501, "log_level": "debug"}"#

    @Test func precedence() throws {
        let path = try Self.configFile(Self.complete)
        let options = try ServiceOptions.parse(["--config", path, "--cert", "/flag/cert.pem"])
        let settings = try options.settings(defaultPort: 7401, environment: ["PINGAN_KEY": "/env/key.pem", "PINGAN_PORT": "7601"])
        #expect(settings.cert == "/flag/cert.pem")      // flag beats file
        #expect(settings.key == "/env/key.pem")         // environment beats file
        #expect(settings.ca == "/f/ca.pem")             // file beats default
        #expect(settings.port == 7601)
        #expect(settings.metricsPort == 9601)           // derived default
        #expect(settings.host == "127.0.0.1")           // built-in default
        #expect(settings.logLevel == .debug)
        #expect(settings.drainSeconds == 10)
    }

    @Test("the config file can come from PINGAN_CONFIG")
    func configFromEnvironment() throws {
        let path = try Self.configFile(Self.complete)
        let settings = try ServiceOptions.parse([]).settings(defaultPort: 7401, environment: ["PINGAN_CONFIG": path])
        #expect(settings.port == 7501)
    }

    @Test("each bad configuration names what is wrong", arguments: [
        (#"{"cert": "/c"}"#, "--key is required (or set PINGAN_KEY, or \"key\" in the config file)"),
        (#"{"portt": 1}"#, "unknown key \"portt\""),
        (#"{"port": "7401"}"#, "\"port\" has the wrong type"),
        (#"[1, 2]"#, "is not a JSON object"),
        (#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "port": 70000}"#, "port 70000 is outside 0-65535"),
        (#"{"cert": "/c", "key": "/k", "ca": "/a", "acl": "/l", "log_level": "loud"}"#, "log level 'loud' is not one of"),
    ])
    func badConfigurations(_ json: String, _ message: String) throws {
        let path = try Self.configFile(json)
        #expect {
            try ServiceOptions.parse(["--config", path]).settings(defaultPort: 7401, environment: [:])
        } throws: { "\($0)".contains(message) }
    }

    @Test func missingConfigFile() {
        #expect {
            try ServiceOptions.parse(["--config", "/nonexistent/pingan.json"]).settings(defaultPort: 7401, environment: [:])
        } throws: { "\($0)".contains("config file /nonexistent/pingan.json cannot be read") }
    }
}

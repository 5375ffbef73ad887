import Foundation
@testable import Gateway
import PinganCatalog
import Testing

@Suite("Gateway config and CSV input")
struct GatewayConfigTests {
    static func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID()).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("towns and their services; client paths relative to the file; environment overrides")
    func loads() throws {
        let path = try Self.file(#"{"client": {"cert": "office.pem", "key": "/etc/pingan/office.key", "ca": "ca.pem"}, "default_town": "b", "towns": [{"code": "a", "name": "甲镇", "services": {"registry": "10.0.0.1:7401"}}, {"code": "b", "services": {"registry": "[::1]:7401", "training": "127.0.0.1:7402"}}]}"#)
        let config = try GatewayConfig.load(path: path, environment: ["PINGAN_CA": "/override/ca.pem"])
        #expect(config.towns.map(\.code) == ["a", "b"])
        #expect(config.towns[0].name == "甲镇" && config.towns[1].name == "b")
        #expect(config.towns[1].services[.registry] == ServiceAddress(host: "::1", port: 7401))
        #expect(config.cert == URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("office.pem").path)
        #expect(config.key == "/etc/pingan/office.key" && config.ca == "/override/ca.pem")
        #expect(try config.town(nil).code == "b")
        #expect(try GatewayConfig.load(path: path, environment: ["PINGAN_TOWN": "a"]).town(nil).code == "a")
        #expect(throws: ConfigError.self) { try config.town("c") }
    }

    @Test("every mistake names the file and the key", arguments: [
        (#"{"towns": []}"#, "towns: must be a non-empty list of towns"),
        (#"{"towns": [{"code": "a", "services": {"registry": "x"}}]}"#, "towns[0].services.registry: 'x' is not host:port"),
        (#"{"towns": [{"code": "a", "services": {"payroll": "h:1"}}]}"#, "towns[0].services.payroll: unknown service"),
        (#"{"towns": [{"code": "a", "services": {"registry": "h:1"}}, {"code": "a", "services": {"registry": "h:1"}}]}"#, "towns[1].code: 'a' is used twice"),
        (#"{"town": []}"#, "town: unknown key"),
        (#"{"towns": [{"code": "a", "services": {"registry": "h:1"}}], "default_town": "z"}"#, "default_town: 'z' is not one of the towns"),
        (#"{"client": {"cert": 5}, "towns": [{"code": "a", "services": {"registry": "h:1"}}]}"#, "client.cert: must be a path"),
    ])
    func mistakes(json: String, message: String) throws {
        let path = try Self.file(json)
        #expect {
            _ = try GatewayConfig.load(path: path, environment: ["PINGAN_CLIENT_CERT": "c", "PINGAN_CLIENT_KEY": "k", "PINGAN_CA": "a"])
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.description.hasPrefix("config \(path): \(message)")
        }
    }

    @Test("without a file: one local town on the default ports, the certificate from the environment or an error naming it")
    func defaults() throws {
        let config = try GatewayConfig.load(path: nil, environment: ["PINGAN_CLIENT_CERT": "c", "PINGAN_CLIENT_KEY": "k", "PINGAN_CA": "a"])
        #expect(config.towns.map(\.code) == ["local"] && config.towns[0].services[.training]?.port == 7402)
        #expect(config.towns[0].services.count == ServiceCatalog.all.count, "every service of the catalog")
        #expect { _ = try GatewayConfig.load(path: nil, environment: [:]) } throws: {
            ($0 as? ConfigError)?.message == "client.cert is not set (in the config file, or PINGAN_CLIENT_CERT)"
        }
    }

    @Test("every service of the catalog has one gateway section type at most, and the root command has each one's group")
    func sectionsFromCatalog() {
        let services = GatewaySections.all.map(\.service)
        #expect(Set(services).count == services.count)
        #expect(services.allSatisfy { ServiceCatalog.named($0.rawValue) != nil })
        #expect(GatewaySections.all.filter(\.identifiesVolunteers).map(\.service) == [.registry])
        let groups = PinganCommand.configuration.subcommands.map { $0.configuration.commandName }
        for section in GatewaySections.all {
            if let commands = section.commands { #expect(groups.contains(commands.configuration.commandName)) }
        }
    }

    @Test("CSV as spreadsheets write it: BOM, CRLF, quoted commas, quotes and line breaks, blank lines skipped")
    func csvRecords() throws {
        let records = try CSVReader.records("\u{FEFF}name,note\r\n\"李,娜\",\"say \"\"hi\"\"\"\r\n\r\n王芳,\"two\nlines\"\r\nlast,\n")
        #expect(records.map(\.fields) == [["name", "note"], ["李,娜", "say \"hi\""], ["王芳", "two\nlines"], ["last", ""]])
        #expect(records.map(\.line) == [1, 2, 4, 6])
        #expect(throws: CSVReader.Malformed.self) { try CSVReader.records("a,\"open\n") }
        #expect(throws: CSVReader.Malformed.self) { try CSVReader.records("a,b\"c\n") }
        #expect(try CSVReader.columns(["姓名", " ID_Number "], wanted: [("name", ["name", "姓名"], true), ("id", ["id_number"], true)]) == ["name": 0, "id": 1])
        #expect { try CSVReader.columns(["name"], wanted: [("id", ["id_number", "身份证号"], true)]) } throws: {
            "\($0)" == "line 1: the header lacks id_number or 身份证号"
        }
    }
}

@Suite("deploy/examples/district-gateway.json")
struct DistrictExampleTests {
    @Test("the documented district config loads: three towns, each with all four services")
    func districtExample() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/examples/district-gateway.json").standardized.path
        let config = try GatewayConfig.load(path: path, environment: [:])
        #expect(config.towns.map(\.code) == ["xinqiao", "sijing", "jiuting"])
        #expect(config.towns.allSatisfy { Set($0.services.keys) == Set(ServiceCatalog.all.map(\.name)) })
        #expect(config.cert == "/etc/pingan/district/district-office.pem")
    }
}

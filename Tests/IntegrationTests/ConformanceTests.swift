import Foundation
import PinganCatalog
import PinganTestSupport
import Testing

/// Tests/Conformance/conformance.py, the language-neutral suite for PROTOCOL.md, against each of
/// the four real executables over mutual TLS.
@Suite("The protocol conformance suite against every service", .timeLimit(.minutes(2)))
struct ConformanceTests {
    static let suite = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Conformance/conformance.py").standardized.path

    /// Starts `service` on port 0 with what it needs; the registry is started first as training's peer.
    static func start(_ service: ServiceName, registryPort: Int?) async throws -> (RunningProcess, Int) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var flags = ["--port", "0", "--metrics-port", "0"] + ExecutableTests.tlsFlags
        if service == .registry {
            flags += try ExecutableTests.storageFlags()
        } else {
            flags += ["--database", folder.appendingPathComponent("\(service).sqlite").path]
        }
        // The suite calls no method that reaches a peer: peers other than a running registry
        // are named at a port nothing listens on.
        for peer in ServiceCatalog.entry(service).peers {
            flags += ["--peer", "\(peer)=127.0.0.1:\(peer == .registry ? registryPort ?? 1 : 1)"]
        }
        let process = try RunningProcess(try BuiltExecutables.path(ServiceCatalog.entry(service).executable), flags)
        let line = try await process.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        return (process, port)
    }

    @Test("every row of the suite passes against each service", arguments: ServiceCatalog.all.map(\.name))
    func conforms(_ service: ServiceName) async throws {
        var processes: [RunningProcess] = []
        defer { processes.forEach { $0.kill() } }
        var registryPort: Int?
        if ServiceCatalog.entry(service).peers.contains(.registry) {
            let (registry, port) = try await Self.start(.registry, registryPort: nil)
            processes.append(registry)
            registryPort = port
        }
        let (process, port) = try await Self.start(service, registryPort: registryPort)
        processes.append(process)
        let result = try await Subprocess.run("/usr/bin/env", [
            "python3", Self.suite, "--host", "127.0.0.1", "--port", "\(port)", "--ca", TestCertificates.path("ca.pem"),
            "--cert", TestCertificates.path("client.pem"), "--key", TestCertificates.path("client.key"),
        ], timeout: .seconds(90))
        let summary = result.text.split(separator: "\n").first { $0.hasPrefix("{") }
        let json = try #require(summary.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] },
                                "no summary from the suite: \(result.standardError)")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(json["failed"] as? Int == 0)
        #expect((json["passed"] as? Int ?? 0) >= 37)
        #expect(json["version"] as? String == "1.0")
    }
}

@Suite("PROTOCOL.md and the conformance suite change together")
struct ConformanceSpecTests {
    @Test("every row of the suite is cited in PROTOCOL.md, and every citation names a row of the suite")
    func rowsAndCitationsMatch() async throws {
        let listed = try await Subprocess.run("/usr/bin/env", ["python3", ConformanceTests.suite, "--list"], timeout: .seconds(30))
        let rows = Set(listed.text.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        let spec = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Shared/Wire/PROTOCOL.md").standardized.path, encoding: .utf8)
        // Citations: "[H-5]", "[F-5, F-6, F-7]", and the row column of the table in §5.5 ("| T-2, T-3 |").
        let groups = spec.matches(of: /\[([A-Z]-\d+(?:, [A-Z]-\d+)*)\]|\| ([A-Z]-\d+(?:, [A-Z]-\d+)*) \|/)
            .map { String($0.output.1 ?? $0.output.2 ?? "") }
        let cited = Set(groups.flatMap { $0.split(separator: ", ").map(String.init) })
        #expect(rows.count >= 37)
        #expect(rows.subtracting(cited).isEmpty, "rows not cited in PROTOCOL.md: \(rows.subtracting(cited).sorted())")
        #expect(cited.subtracting(rows).isEmpty, "citations with no row: \(cited.subtracting(rows).sorted())")
        #expect(spec.contains("conformance suite 1.0"))
    }
}

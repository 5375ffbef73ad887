import Foundation
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// clients/python against the real registry: what an integrator's first hour does.
@Suite("The Python client library", .timeLimit(.minutes(2)))
struct PythonClientTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../clients/python").standardized.path

    @Test("typed calls, a stream, refusals with their fields, a deadline, a cancelled stream, a reconnect, the feed followed live; installed into a fresh venv, its example registers and follows")
    func liveChecks() async throws {
        let (registry, port) = try await TrainingIntegrationTests.start(
            "pingan-registry", ExecutableTests.tlsFlags + ["--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL)] + ExecutableTests.storageFlags())
        defer { registry.kill() }
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        let batch = try await RegistryFixtures.register(connection, batch: "b", unit: "DEPT-ZZB", category: 1,
                                                        rows: (1...3).map { ("队员\($0)", RegistryFixtures.idNumber(sequence: $0)) })
        await connection.close()

        let check = try await Subprocess.run("/usr/bin/env", [
            "python3", "\(Self.package)/tests/live_check.py", TestCertificates.path("ca.pem"), TestCertificates.path("client.pem"),
            TestCertificates.path("client.key"), "\(port)", "\(batch.firstVolunteerID)", "3",
        ], timeout: .seconds(60))
        #expect(check.status == 0, "\(check.text) \(check.standardError)")
        let seen = try #require(try JSONSerialization.jsonObject(with: check.standardOutput) as? [String: Any], "\(check.text) \(check.standardError)")
        #expect(seen["ok"] as? Bool == true, "\(seen)")

        // A fresh virtual environment (the machine's protobuf, setuptools and wheel visible: no network).
        let venv = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-venv-\(UUID().uuidString.prefix(8))").path
        let made = try await Subprocess.run("/usr/bin/env", ["python3", "-m", "venv", "--system-site-packages", venv], timeout: .seconds(120))
        #expect(made.status == 0, "\(made.standardError)")
        let install = try await Subprocess.run("\(venv)/bin/python", ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                                                                     "--disable-pip-version-check", Self.package], timeout: .seconds(120))
        #expect(install.status == 0, "\(install.standardError)")
        let example = try await Subprocess.run("\(venv)/bin/python", [
            "\(Self.package)/examples/register_and_follow.py", "--port", "\(port)", "--pki", TestCertificates.directory, "--identity", "client",
            "--after", "3", "--until-caught-up",
        ], timeout: .seconds(60))
        #expect(example.status == 0, "\(example.text) \(example.standardError)")
        #expect(example.text.contains("batch python-example: 2 registered") && example.text.contains("registered volunteer 林一 (DEPT-ZZB)"),
                "\(example.text)")
    }
}

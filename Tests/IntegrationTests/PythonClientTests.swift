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

    @Test("installs with pip; typed calls, a stream, refusals with their fields, a deadline, a cancelled stream, a reconnect, the feed followed live")
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

        let target = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-pip-\(UUID().uuidString.prefix(8))").path
        let install = try await Subprocess.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                                                                "--disable-pip-version-check", "--target", target, Self.package], timeout: .seconds(120))
        #expect(install.status == 0, "\(install.standardError)")
        let imported = try await Subprocess.run("/usr/bin/env", ["python3", "-c", "import pingan_client, sys; sys.exit(0 if pingan_client.RegistryClient.get_volunteer else 1)"],
                                                environment: ProcessInfo.processInfo.environment.merging(["PYTHONPATH": target]) { $1 }, timeout: .seconds(30))
        #expect(imported.status == 0, "installed package imports: \(imported.standardError)")
    }
}

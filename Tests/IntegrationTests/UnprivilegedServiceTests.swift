import Foundation
import PinganTestSupport
import Testing

/// Services run as a dedicated unprivileged user under systemd; root hides what such a user
/// may not do (the server once set SO_DEBUG on every connection, which only root may, so each
/// connection was closed as it was accepted).
@Suite("A service as an unprivileged user", .timeLimit(.minutes(1)))
struct UnprivilegedServiceTests {
    @Test("pingan-registry as nobody accepts mutual-TLS connections and answers health")
    func servesAsNobody() async throws {
        try #require(getuid() == 0, "the test drops from root to nobody")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-nobody-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        for file in ["server.pem", "server.key", "ca.pem"] {
            try FileManager.default.copyItem(atPath: TestCertificates.path(file), toPath: "\(folder)/\(file)")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(folder)/\(file)")
        }
        let acl = ExecutableTests.aclFile(TrainingIntegrationTests.registryACL)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: acl)
        let key = "\(folder)/data.key"
        try Data(String(repeating: "5a", count: 64).utf8).write(to: URL(fileURLWithPath: key))
        let nobody: [FileAttributeKey: Any] = [.ownerAccountID: 65534, .groupOwnerAccountID: 65534]
        try FileManager.default.setAttributes(nobody.merging([.posixPermissions: 0o600]) { $1 }, ofItemAtPath: key)
        try FileManager.default.createDirectory(atPath: "\(folder)/db", withIntermediateDirectories: false, attributes: nobody)

        let service = try RunningProcess("/usr/bin/setpriv", [
            "--reuid=65534", "--regid=65534", "--clear-groups", "--", try BuiltExecutables.path("pingan-registry"), "--port", "0", "--metrics-port", "0",
            "--cert", "\(folder)/server.pem", "--key", "\(folder)/server.key", "--ca", "\(folder)/ca.pem", "--acl", acl,
            "--database", "\(folder)/db/registry.sqlite", "--data-key", key,
        ])
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let health = try await Subprocess.run(try BuiltExecutables.path("pingan"), ["health", "--endpoint", "registry=127.0.0.1:\(port)"] + ExecutableTests.clientFlags,
                                              timeout: .seconds(30))
        #expect(health.status == 0 && health.text.contains("SERVING"), "\(health.text) \(health.standardError) \(service.output)")
    }
}

import Foundation
import PinganTestSupport
import Testing

/// The deployment CA of deploy/pki.sh over the real pingan-registry: what it issues is
/// accepted, what it revokes is refused from the next SIGHUP on, without a restart.
@Suite("Certificates: issue, revoke, reload", .timeLimit(.minutes(2)))
struct RevocationTests {
    static let pki = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/pki.sh").standardized.path

    static func pki(_ arguments: [String]) async throws -> Subprocess.Result {
        let result = try await Subprocess.run("/bin/bash", [Self.pki] + arguments, timeout: .seconds(30))
        #expect(result.status == 0, "pki.sh \(arguments): \(result.standardError)")
        return result
    }

    /// `pingan health` against the registry as `identity` of `dir`: 0 when answered.
    static func health(port: Int, dir: String, identity: String, ca: String? = nil) async throws -> Subprocess.Result {
        try await Subprocess.run(try BuiltExecutables.path("pingan"),
                                 ["health", "--endpoint", "registry=127.0.0.1:\(port)", "--timeout", "5", "--cert", "\(dir)/\(identity).pem",
                                  "--key", "\(dir)/\(identity).key", "--ca", ca ?? "\(dir)/ca.pem"], timeout: .seconds(30))
    }

    @Test("a certificate pki.sh issues is accepted; once revoked and the services reloaded it is refused; a bad list keeps the old one; one renewed is accepted; another CA's is refused")
    func revokeAndReload() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-pki-\(UUID().uuidString.prefix(8))").path
        _ = try await Self.pki(["ca", dir])
        _ = try await Self.pki(["issue", dir, "registry", "--cn", "pingan-registry", "--ip", "127.0.0.1", "--uri", "spiffe://pingan/service/registry"])
        let office = try await Self.pki(["issue", dir, "office", "--cn", "town-office", "--uri", "spiffe://pingan/user/town-office", "--role", "admin"])
        #expect(office.text.contains(#"ACL entry: {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"}"#), "\(office.text)")
        _ = try await Self.pki(["issue", dir, "clerk", "--cn", "clerk-jc017", "--uri", "spiffe://pingan/user/clerk-jc017", "--role", "clerk", "--unit", "JC-017"])
        _ = try await Self.pki(["crl", dir])
        let acl = ExecutableTests.aclFile(#"{"identities": [{"match": "uri:spiffe://pingan/user/town-office", "role": "admin"}, {"match": "uri:spiffe://pingan/user/clerk-jc017", "role": "clerk", "unit": "JC-017"}]}"#)
        let (service, port) = try await TrainingIntegrationTests.start("pingan-registry", [
            "--cert", "\(dir)/registry.pem", "--key", "\(dir)/registry.key", "--ca", "\(dir)/ca.pem", "--crl", "\(dir)/crl.pem", "--acl", acl,
        ] + (try ExecutableTests.storageFlags()))
        defer { service.kill() }

        #expect(try await Self.health(port: port, dir: dir, identity: "office").status == 0)
        #expect(try await Self.health(port: port, dir: dir, identity: "clerk").status == 0, "issued and not revoked")

        _ = try await Self.pki(["revoke", dir, "clerk"])
        #expect(try await Self.health(port: port, dir: dir, identity: "clerk").status == 0, "the list in force until the reload")
        service.signal(SIGHUP)
        _ = try await service.waitForOutput(containing: "certificates reloaded", within: .seconds(10))
        let revoked = try await Self.health(port: port, dir: dir, identity: "clerk")
        #expect(revoked.status != 0, "revoked: \(revoked.text)")
        #expect(try await Self.health(port: port, dir: dir, identity: "office").status == 0)

        try Data("not a revocation list\n".utf8).write(to: URL(fileURLWithPath: "\(dir)/crl.pem"))
        service.signal(SIGHUP)
        _ = try await service.waitForOutput(containing: "certificate reload refused", within: .seconds(10))
        #expect(try await Self.health(port: port, dir: dir, identity: "clerk").status != 0, "the old list stays in force")
        #expect(try await Self.health(port: port, dir: dir, identity: "office").status == 0)

        // Renewal: what expires soon is listed; renewed, it keeps its name and SANs and is accepted.
        _ = try await Self.pki(["issue", dir, "trainer", "--cn", "trainer-zhou", "--uri", "spiffe://pingan/user/trainer-zhou", "--days", "10"])
        #expect(try await Self.pki(["expiring", dir, "--days", "30"]).text.contains("trainer: expires"))
        _ = try await Self.pki(["renew", dir, "trainer"])
        #expect(!(try await Self.pki(["expiring", dir, "--days", "30"]).text.contains("trainer")), "renewed for 825 days")
        let renewed = try await Subprocess.run("/usr/bin/openssl", ["x509", "-in", "\(dir)/trainer.pem", "-noout", "-ext", "subjectAltName"], timeout: .seconds(10))
        #expect(renewed.text.contains("URI:spiffe://pingan/user/trainer-zhou"))
        #expect(try await Self.health(port: port, dir: dir, identity: "trainer").status == 0, "a renewed certificate is accepted")

        let stranger = try await Subprocess.run(try BuiltExecutables.path("pingan"), [
            "health", "--endpoint", "registry=127.0.0.1:\(port)", "--timeout", "5", "--cert", TestCertificates.path("other-client.pem"),
            "--key", TestCertificates.path("other-client.key"), "--ca", "\(dir)/ca.pem",
        ], timeout: .seconds(30))
        #expect(stranger.status != 0, "another CA's certificate")
    }
}

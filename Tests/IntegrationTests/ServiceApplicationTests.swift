import Foundation
import Logging
import PinganCatalog
import PinganProtocolContracts
import PinganRPC
import PinganRegistryContracts
import PinganRPCTransport
import PinganServiceHost
import PinganServiceKit
import PinganTestSupport
import Registry
import Testing

/// A service built from its definition by the host, started on port 0, called and stopped in
/// the test process: what `ServiceHost.run` does, without signals.
@Suite("Service applications built from their definitions", .timeLimit(.minutes(1)))
struct ServiceApplicationTests {
    static func settings() -> ServiceSettings {
        ServiceSettings(port: 0, cert: TestCertificates.path("server.pem"), key: TestCertificates.path("server.key"), ca: TestCertificates.path("ca.pem"),
                        acl: ExecutableTests.aclFile(#"{"identities": [{"match": "cn:town-office", "role": "admin"}]}"#))
    }

    static var logger: Logger {
        var logger = Logger(label: "service-application-test")
        logger.logLevel = .critical
        return logger
    }

    @Test("the registry starts on port 0, serves its methods with Health and Reflection, and reports NOT_SERVING once stopping")
    func registryLifecycle() async throws {
        let storage = try ExecutableTests.storageFlags()
        let own = try RegistrySettings.parse(storage)
        let options = try ServiceOptions.parse([])
        let resolved = try own.resolve(options.source(environment: [:], ownKeys: RegistrySettings.configKeys))
        let application = try await ServiceHost.build(RegistryDefinition.self, settings: Self.settings(), own: resolved, logger: Self.logger)
        #expect(!application.isServing, "not serving before start")
        let port = try await application.start()
        #expect(port > 0)

        let client = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        let health: Pingan_Health_V1_HealthCheckResponse = try await client.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        #expect(health.status == .serving && health.server == "pingan-registry")
        let methods: Pingan_Rpc_V1_ListMethodsResponse = try await client.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest())
        #expect(methods.methods.map(\.name).contains("/pingan.registry.v1.Registry/RegisterBatch"))
        #expect(methods.methods.map(\.name).contains("/pingan.health.v1.Health/Check"))

        // A peer the ACL does not know is refused, and the refusal is on record for auditors.
        let stranger = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "server"))
        await #expect {
            let _: Pingan_Rpc_V1_ListMethodsResponse = try await stranger.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest())
        } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        await stranger.close()
        var denied = Pingan_Audit_V1_ListEntriesRequest()
        denied.deniedOnly = true
        var entries: [Pingan_Audit_V1_Entry] = []
        for _ in 0..<50 where entries.isEmpty {  // the transport writes it off the event loop
            let page: Pingan_Audit_V1_EntryPage = try await client.unary(AuditService.listEntries, denied)
            entries = page.entries
            if entries.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(entries.map(\.action) == ["denied /pingan.rpc.v1.Reflection/ListMethods"])
        #expect(entries.first?.actor == "spiffe://pingan/service/test")
        #expect(entries.first?.target.hasPrefix("UNAUTHENTICATED: identity spiffe://pingan/service/test is not in this service's ACL") == true)

        await application.shutdown(gracePeriod: .seconds(1))
        #expect(!application.isServing)
        await client.close()
        let after = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"),
                              configuration: RPCClientConfiguration(connectTimeout: .seconds(2)))
        await #expect {
            let _: Pingan_Health_V1_HealthCheckResponse = try await after.unary(
                HealthService.check, Pingan_Health_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(2)))
        } throws: { [.unavailable, .deadlineExceeded].contains(($0 as? RPCError)?.code) }
        await after.close()
    }

    @Test("pingan-duty, built with the kit, answers Health, ListMethods, its audit log and its change feed besides its own methods")
    func dutyFromTemplate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-duty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let service = try RunningProcess(try BuiltExecutables.path("pingan-duty"),
                                         ["--port", "0", "--metrics-port", "0", "--database", folder.appendingPathComponent("duty.sqlite").path,
                                          "--peer", "registry=127.0.0.1:1", "--peer", "training=127.0.0.1:1"] + ExecutableTests.tlsFlags)
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let client = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        let health: Pingan_Health_V1_HealthCheckResponse = try await client.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        #expect(health.status == .serving && health.server == ServiceCatalog.entry(.duty).executable)
        let methods: Pingan_Rpc_V1_ListMethodsResponse = try await client.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest())
        let names = methods.methods.map(\.name)
        #expect(names.filter { !$0.hasPrefix("/pingan.duty.v1.Duty/") } == [
            "/pingan.audit.v1.Audit/ListEntries", "/pingan.feed.v1.Feed/Position", "/pingan.feed.v1.Feed/Watch", "/pingan.health.v1.Health/Check",
            "/pingan.rpc.v1.Reflection/ListMethods",
        ])
        #expect(names.contains("/pingan.duty.v1.Duty/AssignShift"))
        await client.close()
    }

    @Test("a registry whose database is damaged: refused at start, reported by --check-database, and an intact one passes")
    func damagedDatabase() async throws {
        let (database, key) = try await RegistryFixtures.damagedDatabase()
        let registry = try BuiltExecutables.path("pingan-registry")
        let flags = ["--port", "0", "--metrics-port", "0", "--database", database, "--data-key", key] + ExecutableTests.tlsFlags
        let start = try await Subprocess.run(registry, flags, timeout: .seconds(30))
        #expect(start.status != 0)
        #expect(start.standardError.contains("is damaged"), "\(start.standardError)")
        let check = try await Subprocess.run(registry, flags + ["--check-database"], timeout: .seconds(30))
        #expect(check.status == 1 && check.text.contains("\ndatabase damaged:\n  "), "\(check.text) \(check.standardError)")
        let intact = try await Subprocess.run(registry, ["--port", "0", "--metrics-port", "0"] + ExecutableTests.tlsFlags
                                               + (try ExecutableTests.storageFlags()) + ["--check-database"], timeout: .seconds(30))
        #expect(intact.status == 0 && intact.text.hasSuffix("\ndatabase intact\n"), "\(intact.text) \(intact.standardError)")
    }

    @Test("pingan-registry refuses a data key that is not its data's, and --rotate-data-key moves the data to a new key")
    func dataKey() async throws {
        let storage = try ExecutableTests.storageFlags()  // --database D --data-key K
        let registry = try BuiltExecutables.path("pingan-registry")
        let common = ["--port", "0", "--metrics-port", "0"] + ExecutableTests.tlsFlags
        // First start: the database gets its key check.
        let first = try RunningProcess(registry, common + storage)
        _ = try await first.waitForOutput(containing: "listening", within: .seconds(20))
        first.signal(SIGTERM)
        _ = try await first.waitForExit(within: .seconds(10))

        let newKey = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-new-key-\(UUID())").path
        try Data(String(repeating: "3c", count: 64).utf8).write(to: URL(fileURLWithPath: newKey))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: newKey)
        let wrong = try await Subprocess.run(registry, common + [storage[0], storage[1], "--data-key", newKey], timeout: .seconds(30))
        #expect(wrong.status != 0 && wrong.standardError.contains("the data key does not match"), "\(wrong.standardError)")

        let rotate = try await Subprocess.run(registry, common + storage + ["--rotate-data-key", newKey], timeout: .seconds(30))
        #expect(rotate.status == 0 && rotate.text.contains("rotation finished"), "\(rotate.text) \(rotate.standardError)")
        let old = try await Subprocess.run(registry, common + storage, timeout: .seconds(30))
        #expect(old.status != 0 && old.standardError.contains("the data key does not match"))
        let rotated = try RunningProcess(registry, common + [storage[0], storage[1], "--data-key", newKey])
        defer { rotated.kill() }
        _ = try await rotated.waitForOutput(containing: "listening", within: .seconds(20))
    }

    @Test("once the database is known damaged, Health says NOT_SERVING and domain calls are refused; Health and Audit still answer")
    func damageWhileServing() async throws {
        let own = try RegistrySettings.parse(try ExecutableTests.storageFlags())
        let resolved = try own.resolve(ServiceOptions.parse([]).source(environment: [:], ownKeys: RegistrySettings.configKeys))
        let application = try await ServiceHost.build(RegistryDefinition.self, settings: Self.settings(), own: resolved, logger: Self.logger)
        let port = try await application.start()
        let client = RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"))
        application.databaseHealth?.markDamaged("database disk image is malformed")
        let health: Pingan_Health_V1_HealthCheckResponse = try await client.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        #expect(health.status == .notServing)
        await #expect {
            let _: Pingan_Registry_V1_Progress = try await client.unary(RegistryMethods.getProgress, Pingan_Registry_V1_GetProgressRequest())
        } throws: { ($0 as? RPCError)?.code == .unavailable && ($0 as? RPCError)?.details?.reason == "DATABASE_DAMAGED" }
        let _: Pingan_Audit_V1_EntryPage = try await client.unary(AuditService.listEntries, Pingan_Audit_V1_ListEntriesRequest())
        await client.close()
        await application.shutdown(gracePeriod: .seconds(1))
    }

    @Test("a service missing its own setting or a peer refuses to start and says which", arguments: [
        ("pingan-duty", ["--peer", "registry=127.0.0.1:1", "--peer", "training=127.0.0.1:1"],
         "--database is required (or set PINGAN_DATABASE, or \"database\" in the config file)"),
        ("pingan-training", ["--database", "/tmp/unused-training.sqlite"], "--peer registry=HOST:PORT is required"),
    ])
    func refusesToStartWithoutSettings(_ executable: String, _ flags: [String], _ message: String) async throws {
        let result = try await Subprocess.run(try BuiltExecutables.path(executable), ["--port", "0"] + flags + ExecutableTests.tlsFlags,
                                              timeout: .seconds(30))
        #expect(result.status != 0)
        #expect(result.standardError.contains(message))
    }
}

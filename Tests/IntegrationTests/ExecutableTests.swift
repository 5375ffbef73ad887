import Foundation
import PinganProtocolContracts
import PinganRPC
import PinganRegistryContracts
import PinganRPCTransport
import PinganTestSupport
import Testing

/// The real `pingan-registry` and `pingan` executables, as an operator runs them.
@Suite("Executables", .timeLimit(.minutes(2)))
struct ExecutableTests {
    static var tlsFlags: [String] {
        ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem"),
         "--acl", aclFile(#"{"identities": [{"match": "cn:town-office", "role": "admin"}]}"#)]
    }

    /// A fresh database path and a 0600 data key, which pingan-registry requires.
    static func storageFlags() throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = folder.appendingPathComponent("data.key").path
        try Data(String(repeating: "5a", count: 64).utf8).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return ["--database", folder.appendingPathComponent("registry.sqlite").path, "--data-key", key]
    }

    /// Writes an ACL file into a fresh temporary path.
    static func aclFile(_ json: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-acl-\(UUID().uuidString).json").path
        try? Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static var clientFlags: [String] {
        ["--cert", TestCertificates.path("client.pem"), "--key", TestCertificates.path("client.key"), "--ca", TestCertificates.path("ca.pem")]
    }

    @Test("pingan-registry serves health over mutual TLS, pingan health reads it, SIGTERM stops it")
    func serviceLifecycle() async throws {
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + Self.tlsFlags + Self.storageFlags())
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })

        let health = try await Subprocess.run(try BuiltExecutables.path("pingan"),
                                        ["health", "--endpoint", "registry=127.0.0.1:\(port)"] + Self.clientFlags, timeout: .seconds(30))
        #expect(health.status == 0, "\(health.text) \(health.standardError)")
        #expect(health.text.contains("SERVING"))
        #expect(health.text.contains("pingan-registry"))

        let metricsLine = try await service.waitForOutput(containing: "metrics listening", within: .seconds(5))
        let metricsPort = try #require(metricsLine.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let scrape = try await Subprocess.run("/usr/bin/curl", ["-s", "http://127.0.0.1:\(metricsPort)/metrics"], timeout: .seconds(10))
        #expect(scrape.text.contains(#"pingan_rpc_server_calls_total{method="/pingan.health.v1.Health/Check",code="OK"} 1"#), "\(scrape.text)")
        let elsewhere = try await Subprocess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(metricsPort)/"],
                                                 timeout: .seconds(10))
        #expect(elsewhere.text == "404")

        service.signal(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(10)) == 0)
        #expect(service.output.contains("stopping"))
        #expect(service.output.contains("drained"))
    }

    @Test("pingan health exits 2 and says why when an endpoint is down")
    func healthOfAMissingService() async throws {
        let result = try await Subprocess.run(try BuiltExecutables.path("pingan"),
                                        ["health", "--endpoint", "training=127.0.0.1:1"] + Self.clientFlags, timeout: .seconds(30))
        #expect(result.status == 2)
        #expect(result.text.contains("UNAVAILABLE: cannot connect to 127.0.0.1:1"))
    }

    @Test("a service started without its certificate says which flag is missing")
    func missingCertificateFlag() async throws {
        let result = try await Subprocess.run(try BuiltExecutables.path("pingan-registry"), ["--port", "0"],
                                        environment: ["PINGAN_CERT": "", "PINGAN_KEY": "", "PINGAN_CA": "", "PINGAN_ACL": ""], timeout: .seconds(30))
        #expect(result.status == 64)
        #expect(result.standardError.contains("--cert is required"))
    }

    @Test("a service given an unreadable key refuses to start and names the file")
    func unreadableKey() async throws {
        let flags = ["--cert", TestCertificates.path("server.pem"), "--key", "/nonexistent.key", "--ca", TestCertificates.path("ca.pem"),
                     "--acl", Self.aclFile(#"{"identities": []}"#)]
        let result = try await Subprocess.run(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + flags + Self.storageFlags(),
                                                  timeout: .seconds(30))
        #expect(result.status != 0)
        #expect((result.text + result.standardError).contains("cannot load private key from /nonexistent.key"))
    }

    @Test("a bad ACL file keeps the service from starting, naming the rule")
    func badACLAtStart() async throws {
        var flags = Self.tlsFlags
        flags[flags.count - 1] = Self.aclFile(#"{"identities": [{"match": "cn:x", "role": "boss"}]}"#)
        let result = try await Subprocess.run(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + flags + Self.storageFlags(),
                                                  timeout: .seconds(30))
        #expect(result.status != 0)
        #expect((result.text + result.standardError).contains("identities[0].role 'boss' is not one of"))
    }

    @Test("SIGHUP reloads the ACL without dropping connections; a bad file is refused and the old one stays")
    func aclReloadOnSIGHUP() async throws {
        let acl = Self.aclFile(#"{"identities": [{"match": "cn:somebody-else", "role": "admin"}]}"#)
        var flags = Self.tlsFlags
        flags[flags.count - 1] = acl
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + flags + Self.storageFlags())
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: "client"))

        func listMethods() async throws -> [String] {
            let response: Pingan_Rpc_V1_ListMethodsResponse = try await connection.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest())
            return response.methods.map(\.name)
        }
        await #expect { _ = try await listMethods() } throws: { ($0 as? RPCError)?.code == .unauthenticated }

        try Data(#"{"identities": [{"match": "cn:town-office", "role": "auditor"}]}"#.utf8).write(to: URL(fileURLWithPath: acl))
        service.signal(SIGHUP)
        _ = try await service.waitForOutput(containing: "ACL reloaded", within: .seconds(10))
        #expect(try await listMethods().contains("/pingan.registry.v1.Registry/RegisterBatch"))

        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: acl))
        service.signal(SIGHUP)
        _ = try await service.waitForOutput(containing: "ACL reload refused", within: .seconds(10))
        #expect(try await listMethods().contains("/pingan.registry.v1.Registry/RegisterBatch"))
        await connection.close()
    }

    @Test("what a peer sends cannot forge a log line or put control bytes in the log")
    func logInjection() async throws {
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--port", "0"] + Self.tlsFlags + Self.storageFlags())
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        // A refused call (an identity outside the ACL) logs its request id; this one carries a forged line.
        let forged = "2026-12-01T00:00:00+0000 critical pingan-registry : [Registry] forged"
        let stranger = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: "server"))
        var options = CallOptions()
        options.metadata.requestID = "r1\n" + forged + "\u{0}\u{0}"
        await #expect {
            let _: Pingan_Rpc_V1_ListMethodsResponse = try await stranger.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest(), options: options)
        } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        await stranger.close()
        // A protocol error whose message carries the peer's bytes: a metadata key with a newline and NULs.
        let method = Array("/pingan.health.v1.Health/Check".utf8), key = Array("x\n\(forged)\u{0}".utf8)
        let headers: [UInt8] = [0, UInt8(method.count)] + method + [UInt8](repeating: 0, count: 8) + [0, 1, UInt8(key.count)] + key + [0, 0]
        let frame: [UInt8] = [0, 0, UInt8(headers.count >> 8), UInt8(headers.count & 0xFF), 0x01, 0, 0, 0, 0, 1] + headers
        _ = try await RawTLSClient.exchange(port: port, bytes: CallBytes.preface + frame)
        _ = try await service.waitForOutput(containing: "closing connection after a protocol error", within: .seconds(10))
        _ = try await service.waitForOutput(containing: "call refused", within: .seconds(10))
        let output = service.output
        #expect(!output.split(separator: "\n").contains { $0.hasPrefix("2026-12-01T00:00:00+0000 critical") }, "no forged line")
        #expect(!output.contains("\u{0}"), "no NUL byte in the log")
        #expect(output.contains("request.id=r1\\u{a}2026-12-01T00:00:00+0000 critical"), "the forged text is there, escaped on one line")
    }

    @Test("a stream still running at the drain bound gets a STATUS saying the shutdown cut it, not a dropped connection")
    func drainCutIsAnnounced() async throws {
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"),
                                         ["--port", "0", "--drain-seconds", "1"] + Self.tlsFlags + Self.storageFlags())
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: "client"))
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await connection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        let rows = (1...300).map { ("职工\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        _ = try await RegistryFixtures.register(connection, batch: "b", unit: "DEPT-ZZB", category: 1, rows: rows)

        // The reader takes one volunteer and stops: the server waits for credit, the stream stays open.
        let stream = try await RegistryClient(connection).exportVolunteers(Pingan_Registry_V1_ExportVolunteersRequest())
        var iterator = stream.makeAsyncIterator()
        _ = try await iterator.next()
        service.signal(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(10)) == 0)

        var received = 1
        do {
            while try await iterator.next() != nil { received += 1 }
            Issue.record("the stream ended as if complete after \(received) of 300")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
            #expect(error.details?.reason == RPCError.shutdownReason, "\(error)")
            #expect(error.message.contains("retry only if the method is idempotent"))
        }
        #expect(received < 300)
        await connection.close()
    }

    @Test("pingan-registry runs from a config file alone")
    func configFileOnly() async throws {
        var settings: [String: Any] = ["port": 0, "cert": TestCertificates.path("server.pem"), "key": TestCertificates.path("server.key"),
                                       "ca": TestCertificates.path("ca.pem"), "acl": Self.aclFile(#"{"identities": []}"#)]
        let storage = try Self.storageFlags()
        settings["database"] = storage[1]
        settings["data_key"] = storage[3]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: path))
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"), ["--config", path])
        defer { service.kill() }
        _ = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        service.signal(SIGTERM)
        #expect(try await service.waitForExit(within: .seconds(10)) == 0)
    }
}

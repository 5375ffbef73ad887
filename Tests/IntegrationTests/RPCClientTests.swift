import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

@Suite("Resilient client", .timeLimit(.minutes(2)))
struct RPCClientTests {
    static func client(port: Int, attempts: Int = 5) throws -> RPCClient {
        var configuration = RPCClientConfiguration()
        configuration.maximumAttempts = attempts
        configuration.initialBackoff = .milliseconds(20)
        return RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: "client"), configuration: configuration)
    }

    @Test("calls share one connection")
    func reusesTheConnection() async throws {
        let server = try await TestServer.start()
        let client = try Self.client(port: server.port)
        let first = try await client.connection()
        for index in 0..<20 {
            let response: TestService.Response = try await client.unary(TestService.echo, TestService.request("\(index)"))
            #expect(response.server == "\(index)")
        }
        #expect(try await client.connection() === first)
        #expect(server.server.connectionCount == 1)
        await client.close()
        await server.server.close()
    }

    @Test("after the server restarts, the next call reconnects")
    func reconnectsAfterRestart() async throws {
        let first = try await TestServer.start()
        let port = first.port
        let client = try Self.client(port: port)
        let _: TestService.Response = try await client.unary(TestService.echo, TestService.request("before"))
        let old = try await client.connection()
        await first.server.close()
        // A call sent before the client sees the close could not be retried safely (the method
        // is not idempotent); once the close is seen, the next call reconnects.
        #expect(await TestServer.eventually { !old.isUsable })
        let second = try await TestServer.start(port: port)
        let response: TestService.Response = try await client.unary(TestService.echo, TestService.request("after"))
        #expect(response.server == "after")
        await client.close()
        await second.server.close()
    }

    @Test("after a GOAWAY, new calls go to a fresh connection")
    func movesOnAfterGoAway() async throws {
        // 1 s, not less: on a loaded machine a fresh connection's handshake and first call must
        // fit in it, or that connection is sent away idle too.
        let server = try await TestServer.start { $0.idleTimeout = .seconds(1) }
        let client = try Self.client(port: server.port)
        let _: TestService.Response = try await client.unary(TestService.echo, TestService.request("one"))
        let old = try await client.connection()
        #expect(await TestServer.eventually { !old.isUsable })
        let response: TestService.Response = try await client.unary(TestService.echo, TestService.request("two"))
        #expect(response.server == "two")
        #expect(try await client.connection() !== old)
        await client.close()
        await server.server.close()
    }

    @Test("UNAVAILABLE is retried for idempotent methods only", arguments: [(false, 1), (true, 3)])
    func retriesOnlyIdempotentMethods(_ idempotent: Bool, _ expectedAttempts: Int) async throws {
        let server = try await TestServer.start()
        let client = try Self.client(port: server.port, attempts: 3)
        let method = idempotent ? TestService.unavailableIdempotent : TestService.unavailable
        await #expect {
            let _: TestService.Response = try await client.unary(method, TestService.request(""))
        } throws: { ($0 as? RPCError)?.message == "the registry is down" }
        #expect(server.service.unavailableCalls.withLockedValue { $0 } == expectedAttempts)
        await client.close()
        await server.server.close()
    }

    @Test("a service that cannot be reached is retried with backoff until the deadline, then UNAVAILABLE")
    func backsOffUntilTheDeadline() async throws {
        let client = try Self.client(port: 1, attempts: 1000)
        let started = ContinuousClock.now
        await #expect {
            let _: TestService.Response = try await client.unary(TestService.echo, TestService.request(""), options: CallOptions(timeout: .milliseconds(500)))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return (error.code == .unavailable && error.message.hasPrefix("cannot connect to 127.0.0.1:1"))
                || error.message == "the deadline passed while connecting to 127.0.0.1:1"
        }
        let elapsed = ContinuousClock.now - started
        // Without the deadline, 1,000 attempts with backoff would take minutes; 20 s leaves room
        // for a machine starved by the rest of the suite (5 s was seen to be too little).
        #expect(elapsed < .seconds(20), "the call's deadline bounds every wait")
        #expect(elapsed >= .milliseconds(100), "it waited between attempts")
    }
}

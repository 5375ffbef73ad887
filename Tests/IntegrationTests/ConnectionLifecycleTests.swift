import NIOCore
import NIOPosix
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import PinganTLS
import PinganWire
import Testing

@Suite("Connection lifecycle and limits", .timeLimit(.minutes(2)))
struct ConnectionLifecycleTests {
    @Test("graceful shutdown lets calls in flight finish and refuses new ones as not processed")
    func gracefulShutdown() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let inFlight = Task {
            let response: TestService.Response = try await connection.unary(TestService.delay, TestService.request("slow:400"))
            return response.server
        }
        #expect(await server.handlersStarted(1))
        let started = ContinuousClock.now
        let shutdown = Task { await server.server.shutdown(gracePeriod: .seconds(10)) }
        #expect(await TestServer.eventually { !connection.isUsable })
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request("late"))
        } throws: { ($0 as? RPCError)?.wasNotProcessed == true }
        #expect(try await inFlight.value == "slow")
        await shutdown.value
        #expect(ContinuousClock.now - started < .seconds(5), "the drain ends when the last call does, not at the grace period")
        await #expect { _ = try await server.connect() } throws: { _ in true }
    }

    @Test("the grace period bounds the drain; calls still running then fail")
    func gracePeriodBoundsTheDrain() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let hung = Task { let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request("")) }
        #expect(await server.handlersStarted(1))
        let started = ContinuousClock.now
        await server.server.shutdown(gracePeriod: .milliseconds(300))
        #expect(ContinuousClock.now - started < .seconds(3))
        await #expect { try await hung.value } throws: { ($0 as? RPCError)?.code == .unavailable }
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } == 1 })
    }

    @Test("an idle connection is sent GOAWAY and closed; a call after it was not processed")
    func idleTimeout() async throws {
        let server = try await TestServer.start { $0.idleTimeout = .milliseconds(200) }
        let connection = try await server.connect()
        #expect(await TestServer.eventually { !connection.isUsable })
        #expect(await TestServer.eventually { server.server.connectionCount == 0 })
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request("late"))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.wasNotProcessed && error.message.contains("idle for 0.2 seconds")
        }
        await server.server.close()
    }

    @Test("keepalive keeps a healthy but quiet connection open")
    func keepaliveOnHealthyConnection() async throws {
        let server = try await TestServer.start()
        var configuration = RPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(50)
        configuration.keepaliveTimeout = .seconds(2)
        let connection = try await server.connect(configuration: configuration)
        // Unanswered pings would close the connection about 2.05 s in (2 s: the suite runs many
        // services on two cores, and a loaded loop may answer a ping late but not that late).
        try await Task.sleep(for: .milliseconds(2500))
        #expect(connection.isUsable)
        let response: TestService.Response = try await connection.unary(TestService.echo, TestService.request("alive"))
        #expect(response.server == "alive")
        await server.server.close()
    }

    @Test("keepalive detects a server that stopped answering and fails its calls")
    func keepaliveDetectsSilentServer() async throws {
        let silent = try await SilentServer.start()
        var configuration = RPCClientConfiguration()
        configuration.keepaliveInterval = .milliseconds(50)
        configuration.keepaliveTimeout = .milliseconds(150)
        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: silent.port,
                                                         tls: TestCertificates.context(.client, identity: "client"), configuration: configuration)
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(""))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unavailable && error.message.contains("keepalive: the server did not answer a PING")
        }
        try await silent.channel.close()
    }

    /// A TCP connection that sends nothing, from `source` (any address of 127.0.0.0/8).
    static func rawTCPConnection(port: Int, from source: String = "127.0.0.1") async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .connect(host: "127.0.0.1", port: port).get()
    }

    @Test("completed connections beyond the limit are refused; a connection still in its handshake takes no such slot")
    func connectionLimit() async throws {
        let server = try await TestServer.start { $0.maximumConnections = 2 }
        let first = try await server.connect()
        let idle = try await Self.rawTCPConnection(port: server.port)  // in its handshake: no established slot
        let second = try await server.connect()
        #expect(await TestServer.eventually { server.server.connectionCount == 3 })
        await #expect { _ = try await server.connect() } throws: { _ in true }
        await second.close()
        #expect(await TestServer.eventually { server.server.connectionCount == 2 })
        let third = try await server.connect()
        let response: TestService.Response = try await third.unary(TestService.echo, TestService.request("got a slot"))
        #expect(response.server == "got a slot")
        #expect(first.isUsable)
        try await idle.close()
        await server.server.close()
    }

    @Test("handshakes are bounded per source address and in total; the oldest silent one makes room for a newcomer")
    func handshakeLimits() async throws {
        let server = try await TestServer.start {
            $0.maximumHandshakes = 4
            $0.maximumHandshakesPerAddress = 2
        }
        let flood = [try await Self.rawTCPConnection(port: server.port, from: "127.0.0.2"),
                     try await Self.rawTCPConnection(port: server.port, from: "127.0.0.2")]
        #expect(await TestServer.eventually { server.server.connectionCount == 2 })
        let third = try await Self.rawTCPConnection(port: server.port, from: "127.0.0.2")
        try await flood[0].closeFuture.get()  // the address's oldest made room
        let others = [try await Self.rawTCPConnection(port: server.port, from: "127.0.0.3"),
                      try await Self.rawTCPConnection(port: server.port, from: "127.0.0.4")]
        // Four handshakes under way, the total: a real client still gets in, the oldest silent one goes.
        let legitimate = try await server.connect()
        let response: TestService.Response = try await legitimate.unary(TestService.echo, TestService.request("room made"))
        #expect(response.server == "room made")
        try await flood[1].closeFuture.get()
        for channel in [third] + others { try await channel.close() }
        await server.server.close()
    }

    @Test("a client that opens TCP and sends nothing is closed at the handshake timeout and frees its slot")
    func slowloris() async throws {
        let server = try await TestServer.start { $0.tls.handshakeTimeout = .milliseconds(300) }
        let started = ContinuousClock.now
        let silent = try await Self.rawTCPConnection(port: server.port)
        try await silent.closeFuture.get()  // the server hangs up on it
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        #expect(await TestServer.eventually { server.server.connectionCount == 0 })
        await server.server.close()
    }

    @Test("a request over the client's limit fails locally; the connection goes on")
    func requestTooLargeForTheClient() async throws {
        let server = try await TestServer.start()
        var configuration = RPCClientConfiguration()
        configuration.maximumRequestSize = 1024
        let connection = try await server.connect(configuration: configuration)
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(String(repeating: "x", count: 2000)))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .resourceExhausted && error.message == "request of 2003 bytes exceeds the limit of 1024"
        }
        #expect(connection.isUsable)
        await server.server.close()
    }

    @Test("a request over the server's limit ends that connection with FRAME_TOO_LARGE, not others")
    func requestTooLargeForTheServer() async throws {
        let server = try await TestServer.start { $0.limits = WireLimits(maximumPayloadSize: 1024, maximumHeadersSize: 1024) }
        let bystander = try await server.connect()
        let connection = try await server.connect()
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(String(repeating: "x", count: 2000)))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unavailable && error.message.contains("exceeds the limit of 1024 bytes")
        }
        let response: TestService.Response = try await bystander.unary(TestService.echo, TestService.request("fine"))
        #expect(response.server == "fine")
        await server.server.close()
    }

    @Test("a response over the server's send limit fails its call with RESOURCE_EXHAUSTED")
    func responseTooLarge() async throws {
        let server = try await TestServer.start { $0.maximumResponseSize = 100 }
        let connection = try await server.connect()
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(String(repeating: "y", count: 200)))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .resourceExhausted && error.message == "response of 203 bytes exceeds this server's limit of 100"
        }
        let small: TestService.Response = try await connection.unary(TestService.echo, TestService.request("small"))
        #expect(small.server == "small")
        await server.server.close()
    }
}

/// A TLS server that sends the Pingan preface and then ignores everything: a peer that hung.
struct SilentServer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> SilentServer {
        let context = try TestCertificates.context(.server, identity: "server")
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(PrefaceThenSilence())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentServer(channel: channel)
    }

    final class PrefaceThenSilence: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            guard event is TLSHandshakeCompleted else { return }
            var preface = ByteBuffer()
            FrameEncoder.writePreface(into: &preface)
            context.writeAndFlush(wrapOutboundOut(preface), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }
}

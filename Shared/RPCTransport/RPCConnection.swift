import NIOCore
import NIOPosix
import PinganRPC
import PinganTLS
import PinganWire
import SwiftProtobuf

/// One client connection to a Pingan server, carrying many concurrent calls.
///
/// Calls made from a task that prefers `taskExecutor` stay on the connection's event loop from
/// send to answer, with no thread hop.
public final class RPCConnection: ClientTransport {
    public let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    private let status: ConnectionStatus
    private let maximumRequestSize: Int
    /// Runs tasks on this connection's event loop.
    public let taskExecutor: EventLoopTaskExecutor

    public var eventLoop: any EventLoop { channel.eventLoop }

    /// False once the connection has closed or the server has said GOAWAY.
    public var isUsable: Bool { status.isUsable }

    private init(channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>, status: ConnectionStatus, maximumRequestSize: Int) {
        self.channel = channel
        self.handler = handler
        self.status = status
        self.maximumRequestSize = maximumRequestSize
        self.taskExecutor = EventLoopTaskExecutor(channel.eventLoop)
    }

    /// Connects, completes the mutual TLS handshake and waits for the server's preface.
    ///
    /// - Parameter serverName: the name or IP the server certificate must carry; `host` if nil.
    /// - Throws: `TLSError` / `ConnectionError` with OpenSSL's reason when either side rejects
    ///   the other; the socket error when nothing listens.
    public static func connect(
        host: String,
        port: Int,
        tls: TLSContext,
        serverName: String? = nil,
        configuration: RPCClientConfiguration = RPCClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RPCConnection {
        let connectTimeout = configuration.connectTimeout
        let status = ConnectionStatus()
        let expectedName = serverName ?? host
        let eventLoop = group.next()
        // Made before connecting, so a connection the server rejects at once still reports why.
        let handler = try await eventLoop.submit {
            NIOLoopBound(ClientConnectionHandler(ready: eventLoop.makePromise(), status: status, configuration: configuration),
                         eventLoop: eventLoop)
        }.get()
        let ready = try await eventLoop.submit { handler.value.ready.futureResult }.get()

        let channel: any Channel
        do {
            let bootstrap = bootstrap(handler: handler, tls: tls, serverName: expectedName, limits: configuration.limits,
                                      connectTimeout: connectTimeout, eventLoop: eventLoop)
            // An address needs no resolver: NIO's would ask getaddrinfo on another thread first.
            if let address = try? SocketAddress(ipAddress: host, port: port) {
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: host, port: port).get()
            }
        } catch {
            let failure = ConnectionError(reason: "cannot connect to \(host):\(port): \(Self.describe(error, timeout: connectTimeout))")
            eventLoop.execute { handler.value.failReady(failure) }
            throw failure
        }

        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(connectTimeout)) {
            channel.close(promise: nil)
        }
        defer { timeout.cancel() }
        do {
            try await ready.get()
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return RPCConnection(channel: channel, handler: handler, status: status, maximumRequestSize: configuration.maximumRequestSize)
    }

    private static func describe(_ error: any Error, timeout: Duration) -> String {
        switch error {
        case let error as NIOConnectionError:
            let reasons = error.connectionErrors.map { "\($0.error)" } + (error.dnsAError.map { ["\($0)"] } ?? [])
            return reasons.first ?? "no address"
        case ChannelError.connectTimeout:
            return "no answer within \(timeout)"
        default:
            return "\(error)"
        }
    }

    private static func bootstrap(
        handler: NIOLoopBound<ClientConnectionHandler>, tls: TLSContext, serverName: String, limits: WireLimits,
        connectTimeout: Duration, eventLoop: any EventLoop
    ) -> ClientBootstrap {
        ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(TLSHandler(context: tls, serverHostname: serverName))
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
                    try pipeline.addHandler(handler.value)
                }
            }
    }

    /// Sends one request payload and waits for its response.
    ///
    /// - Throws: `RPCError` - the server's status, DEADLINE_EXCEEDED, CANCELLED when the
    ///   calling task is cancelled, UNAVAILABLE when the connection is lost.
    public func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        try await unary(method.fullName, payload: payload, options: options)
    }

    /// The same by wire name, which need not be a method the server has (for tests of refusals).
    public func unary(_ method: String, payload: ByteBuffer, options: CallOptions = CallOptions()) async throws -> ByteBuffer {
        let payload = try checkedPayload(payload)
        let (metadata, deadline) = prepare(options)
        let call = ClientCall()
        return try await withTaskCancellationHandler {
            try await onLoop { handler, continuation in
                handler.start(call, method: method, payload: payload, deadline: deadline, metadata: metadata, continuation: continuation)
            }
        } onCancel: {
            self.cancel(call)
        }
    }

    // MARK: Shared by every kind of call

    /// The call's metadata with a request id, and its absolute deadline.
    func prepare(_ options: CallOptions) -> (Metadata, ContinuousClock.Instant?) {
        var metadata = options.metadata
        if metadata.requestID == nil { metadata.requestID = RequestID.make() }
        return (metadata, options.effectiveDeadline(now: .now))
    }

    /// Refuses a request over the size limit before it costs the connection.
    func checkedPayload(_ payload: ByteBuffer) throws(RPCError) -> ByteBuffer {
        guard payload.readableBytes <= maximumRequestSize else {
            throw RPCError(.resourceExhausted, "request of \(payload.readableBytes) bytes exceeds the limit of \(maximumRequestSize)")
        }
        return payload
    }

    /// Runs `body` with the handler on the connection's event loop (directly when already
    /// there, the common case for tasks that prefer `taskExecutor`) and waits for it to resume
    /// the continuation.
    func onLoop<T: Sendable>(
        _ body: @escaping @Sendable (ClientConnectionHandler, CheckedContinuation<T, any Error>) -> Void
    ) async throws -> T {
        let handler = self.handler
        return try await withCheckedThrowingContinuation { continuation in
            if handler.eventLoop.inEventLoop {
                body(handler.value, continuation)
            } else {
                handler.eventLoop.execute { body(handler.value, continuation) }
            }
        }
    }

    /// Cancels a call from any thread.
    func cancel(_ call: ClientCall) {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.cancel(call) }
    }

    /// Closes the connection; calls in flight fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }
}

import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PinganRPC
import PinganTLS
import PinganWire

/// A listening Pingan server: TLS -> frame decoder -> connection handler per connection.
public final class RPCServer: Sendable {
    private let serverChannel: any Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>
    /// What new connections' handshakes use; replaced on reload, never for open connections.
    private let tlsContext: NIOLockedValueBox<TLSContext>
    private let logger: Logger

    /// Loads `configuration` (certificate, key, trust roots, revocation list) for the
    /// connections accepted from now on. A file that does not load throws, and the context in
    /// force stays.
    public func replaceTLS(_ configuration: TLSConfiguration) throws {
        let context = try TLSContext(configuration: configuration)
        tlsContext.withLockedValue { $0 = context }
    }

    /// The port actually bound (useful when the configuration asked for port 0).
    public var port: Int { serverChannel.localAddress?.port ?? 0 }
    /// The address actually bound.
    public var localAddress: SocketAddress? { serverChannel.localAddress }

    private init(serverChannel: any Channel, connections: NIOLockedValueBox<[ObjectIdentifier: any Channel]>,
                 tlsContext: NIOLockedValueBox<TLSContext>, logger: Logger) {
        self.serverChannel = serverChannel
        self.connections = connections
        self.tlsContext = tlsContext
        self.logger = logger
    }

    /// Binds and starts accepting connections. Throws `TLSError(.configuration, ...)` for bad
    /// certificates and the socket error for a bad address or a port in use.
    public static func start(
        configuration: RPCServerConfiguration,
        router: Router,
        accessControl: AccessControl,
        metrics: CallMetrics = CallMetrics(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> RPCServer {
        let tlsContext = NIOLockedValueBox(try TLSContext(configuration: configuration.tls))
        let connections = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])
        let limits = configuration.limits
        let admission = NIOLockedValueBox(ConnectionAdmission(
            maximumEstablished: configuration.maximumConnections, maximumHandshakes: configuration.maximumHandshakes,
            maximumHandshakesPerAddress: configuration.maximumHandshakesPerAddress))
        let refusals = RefusalLog(logger: logger)

        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let address = channel.remoteAddress?.ipAddress ?? "?"
                let id = ObjectIdentifier(channel)
                let evicted = admission.withLockedValue { $0.accepted(id, from: address) }
                let evictedChannels = connections.withLockedValue { open in
                    open[id] = channel
                    return evicted.compactMap { open[$0] }
                }
                for old in evictedChannels {
                    refusals.record("the oldest TLS handshake made room for a new connection", from: old.remoteAddress?.ipAddress ?? "?")
                    old.close(promise: nil)
                }
                channel.closeFuture.whenComplete { _ in
                    _ = connections.withLockedValue { $0.removeValue(forKey: id) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(TLSHandler(context: tlsContext.withLockedValue { $0 }))
                    try pipeline.addHandler(AdmissionHandler(admission: admission, id: id, address: address, refusals: refusals))
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
                    try pipeline.addHandler(ServerConnectionHandler(
                        router: router, accessControl: accessControl, metrics: metrics, configuration: configuration, logger: logger))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return RPCServer(serverChannel: channel, connections: connections, tlsContext: tlsContext, logger: logger)
    }

    /// Connections open now.
    public var connectionCount: Int {
        connections.withLockedValue { $0.count }
    }

    /// Stops accepting, sends every connection a GOAWAY, lets calls in flight finish within
    /// `gracePeriod`, then ends each call still open with a STATUS saying the shutdown cut it,
    /// and closes.
    public func shutdown(gracePeriod: Duration) async {
        try? await serverChannel.close()
        let open = connections.withLockedValue { Array($0.values) }
        logger.info("draining", metadata: ["connections": "\(open.count)", "grace": "\(gracePeriod)"])
        for connection in open {
            connection.pipeline.fireUserInboundEventTriggered(GracefulShutdown())
            let bound = connection.eventLoop.scheduleTask(in: TimeAmount(gracePeriod)) {
                connection.pipeline.fireUserInboundEventTriggered(DrainBoundReached(gracePeriod: gracePeriod))
            }
            // A connection whose STATUS frames cannot be written (a peer that reads nothing)
            // still closes a moment later.
            let backstop = connection.eventLoop.scheduleTask(in: TimeAmount(gracePeriod) + .seconds(1)) {
                connection.close(promise: nil)
            }
            connection.closeFuture.whenComplete { _ in
                bound.cancel()
                backstop.cancel()
            }
        }
        for connection in open {
            try? await connection.closeFuture.get()
        }
        logger.info("drained")
    }

    /// Stops accepting and closes every connection at once.
    public func close() async {
        try? await serverChannel.close()
        let open = connections.withLockedValue { Array($0.values) }
        for connection in open {
            try? await connection.close()
        }
    }
}

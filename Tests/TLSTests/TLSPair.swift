import NIOCore
import NIOEmbedded
import PinganTLS

/// A client and a server TLSHandler on two embedded channels, with the bytes each writes
/// delivered to the other by `exchange()`. No sockets, no threads.
final class TLSPair {
    let client: EmbeddedChannel
    let server: EmbeddedChannel
    let clientEvents = EventRecorder()
    let serverEvents = EventRecorder()

    init(client clientContext: TLSContext, server serverContext: TLSContext, serverName: String? = "localhost") throws {
        client = EmbeddedChannel()
        server = EmbeddedChannel()
        try client.pipeline.syncOperations.addHandlers([TLSHandler(context: clientContext, serverHostname: serverName), clientEvents])
        try server.pipeline.syncOperations.addHandlers([TLSHandler(context: serverContext), serverEvents])
    }

    func connect() throws {
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try exchange()
    }

    /// Moves bytes both ways until neither side has anything left to send.
    func exchange() throws {
        var moved = true
        while moved {
            moved = false
            for (from, to) in [(client, server), (server, client)] where to.isActive {
                while let bytes = try from.readOutbound(as: ByteBuffer.self) {
                    moved = true
                    try to.writeInbound(bytes)
                }
            }
        }
    }
}

/// Records what reaches the end of a pipeline: plaintext, TLS events and errors.
final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    var plaintext = ByteBuffer()
    var handshake: TLSHandshakeCompleted?
    var errors: [TLSError] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        plaintext.writeBuffer(&bytes)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompleted { handshake = event }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? TLSError { errors.append(error) }
    }
}

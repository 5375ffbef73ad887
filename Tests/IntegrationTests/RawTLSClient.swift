import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PinganTestSupport
import PinganTLS
import PinganWire

/// A TLS client that sends raw bytes and collects whatever comes back, for feeding a server
/// input no well-behaved client would produce.
enum RawTLSClient {
    /// Sends `bytes` after the handshake; then either closes at once (`hangUp`) or waits until
    /// the server closes (at most `limit`). Returns every plaintext byte received.
    static func exchange(port: Int, bytes: [UInt8], hangUp: Bool = false, tls: Bool = true, limit: Duration = .seconds(5)) async throws -> [UInt8] {
        let received = NIOLockedValueBox<[UInt8]>([])
        let context = try TestCertificates.context(.client, identity: "client")
        let handshake = NIOLockedValueBox<EventLoopPromise<Void>?>(nil)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                let promise = channel.eventLoop.makePromise(of: Void.self)
                handshake.withLockedValue { $0 = promise }
                return channel.eventLoop.makeCompletedFuture {
                    if tls {
                        try channel.pipeline.syncOperations.addHandler(TLSHandler(context: context, serverHostname: "127.0.0.1"))
                    } else {
                        promise.succeed(())
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received, handshake: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await handshake.withLockedValue { $0! }.futureResult.get()
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        if hangUp {
            try await channel.close()
        } else {
            let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) { channel.close(promise: nil) }
            try await channel.closeFuture.get()
            timer.cancel()
        }
        return received.withLockedValue { $0 }
    }

    /// Decodes what a server sent: its preface, then frames.
    static func events(in bytes: [UInt8]) throws -> [WireEvent] {
        var decoder = FrameDecoder()
        var buffer = ByteBuffer(bytes: bytes)
        var events: [WireEvent] = []
        while let event = try decoder.next(from: &buffer) { events.append(event) }
        return events
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<[UInt8]>
        let handshake: EventLoopPromise<Void>

        init(received: NIOLockedValueBox<[UInt8]>, handshake: EventLoopPromise<Void>) {
            self.received = received
            self.handshake = handshake
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            received.withLockedValue { $0 += Array(bytes.readableBytesView) }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is TLSHandshakeCompleted { handshake.succeed(()) }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            handshake.fail(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            handshake.fail(ChannelError.ioOnClosedChannel)
        }
    }
}

/// Frames a well-formed unary call, for raw clients.
enum CallBytes {
    static func unary(callID: UInt32, method: String, request: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer()
        FrameEncoder.writeFrame(.headers, callID: callID, into: &buffer) { CallHeaders(method: method).write(into: &$0) }
        FrameEncoder.writeFrame(.message, flags: .endStream, callID: callID, payload: ByteBuffer(bytes: request), into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static let preface: [UInt8] = Array("PINGAN".utf8) + [0, 1]
}

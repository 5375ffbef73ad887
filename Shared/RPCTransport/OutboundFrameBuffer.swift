import NIOCore

/// Collects the frames a connection produces during one event-loop tick and writes them as a
/// single buffer at its end: one TLS write and one syscall for many calls' answers.
struct OutboundFrameBuffer {
    private var buffer: ByteBuffer
    private var flushScheduled = false
    /// Inside a read whose end (`endRead`) will flush: answers written by handlers that ran
    /// within it need no flush task of their own.
    private var reading = false

    init(allocator: ByteBufferAllocator) {
        buffer = allocator.buffer(capacity: 1024)
    }

    /// Appends with `write`; returns true if the caller must schedule `flush` for this tick.
    mutating func append(_ write: (inout ByteBuffer) -> Void) -> Bool {
        write(&buffer)
        guard !reading, !flushScheduled else { return false }
        flushScheduled = true
        return true
    }

    /// A read from the peer is being handled (`channelRead`).
    mutating func beginRead() {
        reading = true
    }

    /// The read is over (`channelReadComplete`): flushes what it produced, unless a flush
    /// task is already on its way.
    mutating func endRead(_ context: ChannelHandlerContext) {
        reading = false
        if !flushScheduled { flush(context) }
    }

    /// Writes and flushes what was collected.
    mutating func flush(_ context: ChannelHandlerContext) {
        flushScheduled = false
        guard buffer.readableBytes > 0 else { return }
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        // The TLS handler copies plaintext into OpenSSL during the flush, so the storage is
        // uniquely ours again here and `clear()` reuses it instead of allocating.
        buffer.clear()
    }
}

/// A connection handler that writes frames through an `OutboundFrameBuffer`.
protocol FrameWritingHandler: AnyObject {
    var context: ChannelHandlerContext? { get }
    var outbound: OutboundFrameBuffer { get set }
}

extension FrameWritingHandler {
    /// Appends frames and makes sure they are flushed at the end of this tick.
    func enqueue(_ write: (inout ByteBuffer) -> Void) {
        guard let context else { return }
        if outbound.append(write) {
            context.eventLoop.assumeIsolated().execute {
                guard let context = self.context else { return }
                self.outbound.flush(context)
            }
        }
    }
}

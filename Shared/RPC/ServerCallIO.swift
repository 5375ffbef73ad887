import NIOCore
import SwiftProtobuf

/// The message flow of one streaming call on the server, as the transport provides it. Both
/// operations apply flow control: `send` waits for credit, `receive` grants it back.
public protocol ServerCallIO: Sendable {
    /// Every request message that has arrived and not been taken (at least one, waiting for it
    /// if need be), or nil once the client has ended its stream. Taking them all at once spares
    /// a handler a hop to the event loop and back per message.
    func receive() async throws -> [ByteBuffer]?
    /// Sends a response message, waiting while the client has granted no credit.
    func send(_ payload: ByteBuffer) async throws
}

/// Writes a server stream's responses; each write waits while the client is not reading.
public struct ServerStreamWriter<Message: SwiftProtobuf.Message>: Sendable {
    private let io: any ServerCallIO

    public init(_ io: any ServerCallIO) {
        self.io = io
    }

    /// Sends one message; throws once the call is cancelled or its deadline has passed.
    public func write(_ message: Message) async throws {
        try await io.send(message.rpcPayload())
    }
}

/// A client stream's requests as an async sequence; reading grants the client more credit.
public struct RequestStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    private let io: any ServerCallIO

    public init(_ io: any ServerCallIO) {
        self.io = io
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let io: any ServerCallIO
        /// Messages taken from the transport and not yet returned: at most the call's window.
        fileprivate var taken: [ByteBuffer] = []
        fileprivate var next = 0

        public mutating func next() async throws -> Message? {
            if next == taken.count {
                guard let batch = try await io.receive() else { return nil }
                taken = batch
                next = 0
            }
            defer { next += 1 }
            return try Message(rpcPayload: taken[next])
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(io: io)
    }
}

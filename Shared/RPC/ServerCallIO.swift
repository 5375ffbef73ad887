import NIOCore
import SwiftProtobuf

/// The message flow of one streaming call on the server, as the transport provides it. Both
/// operations apply flow control: `send` waits for credit, `receive` grants it back.
public protocol ServerCallIO: Sendable {
    /// The next request message, or nil once the client has ended its stream.
    func receive() async throws -> ByteBuffer?
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

        public mutating func next() async throws -> Message? {
            guard let payload = try await io.receive() else { return nil }
            return try Message(rpcPayload: payload)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(io: io)
    }
}

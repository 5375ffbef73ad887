import NIOCore
import SwiftProtobuf

/// How a client's calls reach a server: over the network (`RPCClient`, `RPCConnection` in
/// PinganRPCTransport) or in-process for tests (`InProcessTransport` in PinganRPCTesting).
/// Typed clients (`RegistryClient`, ...) are written against this alone, so a service library
/// that calls another service links no transport.
public protocol ClientTransport: Sendable {
    /// Sends one request payload and returns the response payload.
    ///
    /// - Throws: `RPCError`: the server's status, DEADLINE_EXCEEDED, CANCELLED, or UNAVAILABLE
    ///   when the server cannot be reached.
    func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer

    /// Starts a server-streaming call; the responses arrive as the source is read.
    func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource

    /// Runs a client-streaming call: `body` sends the requests, then the single response is
    /// returned. If `body` throws, the call is cancelled and the error rethrown.
    func clientStreaming(
        _ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void
    ) async throws -> ByteBuffer
}

/// The response payloads of a server stream; nil after the server's OK status, the server's
/// error after the messages that came before it. Dropping it early cancels the call.
public protocol ResponseSource: Sendable {
    func next() async throws -> ByteBuffer?
}

/// Sends the request payloads of a client stream, waiting while the server grants no credit.
public protocol RequestSink: Sendable {
    func send(_ payload: ByteBuffer) async throws
    /// Many messages at once: a transport may send them in one go as credit allows.
    func send(contentsOf payloads: [ByteBuffer]) async throws
}

extension RequestSink {
    public func send(contentsOf payloads: [ByteBuffer]) async throws {
        for payload in payloads { try await send(payload) }
    }
}

extension ClientTransport {
    /// Sends one request and waits for its response.
    public func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor, _ request: Request, options: CallOptions = CallOptions(), responseType: Response.Type = Response.self
    ) async throws -> Response {
        try Response.decodeResponse(try await unary(method, payload: request.rpcPayload(), options: options), of: method)
    }

    /// Starts a server-streaming call; the responses arrive as the returned sequence is read.
    public func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor, _ request: Request, options: CallOptions = CallOptions(), responseType: Response.Type = Response.self
    ) async throws -> ResponseStream<Response> {
        ResponseStream(source: try await serverStreaming(method, payload: request.rpcPayload(), options: options), method: method)
    }

    /// Runs a client-streaming call: `body` writes the requests, then the response is returned.
    public func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor, options: CallOptions = CallOptions(), requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self, _ body: (RequestStreamWriter<Request>) async throws -> Void
    ) async throws -> Response {
        let payload = try await clientStreaming(method, options: options) { sink in try await body(RequestStreamWriter(sink: sink)) }
        return try Response.decodeResponse(payload, of: method)
    }
}

/// The responses of a server-streaming call as messages.
public struct ResponseStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    let source: any ResponseSource
    let method: MethodDescriptor

    public init(source: any ResponseSource, method: MethodDescriptor) {
        self.source = source
        self.method = method
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let source: any ResponseSource
        let method: MethodDescriptor

        public mutating func next() async throws -> Message? {
            guard let payload = try await source.next() else { return nil }
            return try Message.decodeResponse(payload, of: method)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source, method: method)
    }
}

/// Writes the requests of a client-streaming call.
public struct RequestStreamWriter<Message: SwiftProtobuf.Message>: Sendable {
    let sink: any RequestSink

    public init(sink: any RequestSink) {
        self.sink = sink
    }

    /// Sends one message; waits while the server has granted no credit.
    public func write(_ message: Message) async throws {
        try await sink.send(message.rpcPayload())
    }

    /// Sends many messages, in order, handing them to the transport at once (a large import
    /// pays one hop to the event loop per batch, not per message); returns once all have gone.
    public func write(contentsOf messages: some Sequence<Message>) async throws {
        try await sink.send(contentsOf: messages.map { try $0.rpcPayload() })
    }
}

extension SwiftProtobuf.Message {
    /// Decodes a response; a server that answers with something else is an INTERNAL error.
    static func decodeResponse(_ payload: ByteBuffer, of method: MethodDescriptor) throws(RPCError) -> Self {
        do {
            return try Self(payload: payload)
        } catch {
            throw RPCError(.internal, "response of \(method): not a valid \(Self.protoMessageName) message", cause: error)
        }
    }
}

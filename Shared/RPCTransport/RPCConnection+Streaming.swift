import NIOCore
import PinganRPC
import SwiftProtobuf

extension RPCConnection {
    /// Starts a server-streaming call; the responses arrive as the returned sequence is read.
    /// Reading grants the server credit; dropping the sequence early cancels the call.
    public func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        _ request: Request,
        options: CallOptions = CallOptions(),
        responseType: Response.Type = Response.self
    ) async throws -> ResponseStream<Response> {
        let payload = try checkedPayload(request)
        let (metadata, deadline) = prepare(options)
        let call = ClientCall()
        try await onLoop { handler, continuation in
            handler.startServerStream(call, method: method.fullName, payload: payload, deadline: deadline, metadata: metadata,
                                      continuation: continuation)
        }
        return ResponseStream(source: StreamSource(connection: self, call: call, method: method))
    }

    /// Runs a client-streaming call: `body` writes the requests (each write waits while the
    /// server grants no credit), then the single response is returned. If `body` throws, the
    /// call is cancelled and the error rethrown.
    public func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        options: CallOptions = CallOptions(),
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        _ body: (RequestStreamWriter<Request>) async throws -> Void
    ) async throws -> Response {
        let (metadata, deadline) = prepare(options)
        let call = ClientCall()
        try await onLoop { handler, continuation in
            handler.startClientStream(call, method: method.fullName, deadline: deadline, metadata: metadata, continuation: continuation)
        }
        do {
            try await body(RequestStreamWriter(connection: self, call: call))
            let response: ByteBuffer = try await withTaskCancellationHandler {
                try await onLoop { handler, continuation in handler.finishSending(call, continuation: continuation) }
            } onCancel: {
                self.cancel(call)
            }
            return try decodeResponse(response, of: method)
        } catch {
            cancel(call)
            throw error
        }
    }
}

/// The responses of a server-streaming call. Ends normally at the server's OK status, or
/// throws the server's error (after the messages that came before it).
public struct ResponseStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    fileprivate let source: StreamSource

    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let source: StreamSource

        public mutating func next() async throws -> Message? {
            guard let payload = try await source.next() else { return nil }
            do {
                return try Message(payload: payload)
            } catch {
                throw RPCError(.internal, "response of \(source.method): not a valid \(Message.protoMessageName) message", cause: error)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source)
    }
}

/// Writes the requests of a client-streaming call.
public struct RequestStreamWriter<Message: SwiftProtobuf.Message>: Sendable {
    fileprivate let connection: RPCConnection
    fileprivate let call: ClientCall

    /// Sends one message; waits while the server has granted no credit.
    public func write(_ message: Message) async throws {
        let payload = try connection.checkedPayload(message)
        let call = self.call
        try await withTaskCancellationHandler {
            try await connection.onLoop { (handler, continuation: CheckedContinuation<Void, any Error>) in
                handler.send(call, payload: payload, continuation: continuation)
            }
        } onCancel: {
            connection.cancel(call)
        }
    }
}

/// Reads one server stream; cancels the call if dropped before its end.
final class StreamSource: Sendable {
    let connection: RPCConnection
    let call: ClientCall
    let method: MethodDescriptor

    init(connection: RPCConnection, call: ClientCall, method: MethodDescriptor) {
        self.connection = connection
        self.call = call
        self.method = method
    }

    func next() async throws -> ByteBuffer? {
        let call = self.call
        return try await withTaskCancellationHandler {
            try await connection.onLoop { handler, continuation in handler.receive(call, continuation: continuation) }
        } onCancel: {
            self.connection.cancel(call)
        }
    }

    deinit {
        connection.cancel(call)
    }
}

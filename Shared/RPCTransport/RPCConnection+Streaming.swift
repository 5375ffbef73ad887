import NIOCore
import Synchronization
import PinganRPC

extension RPCConnection {
    /// Starts a server-streaming call. Reading grants the server credit; dropping the source
    /// early cancels the call.
    public func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource {
        let payload = try checkedPayload(payload)
        let (metadata, deadline) = prepare(options)
        let call = ClientCall()
        try await onLoop { handler, continuation in
            handler.startServerStream(call, method: method.fullName, payload: payload, deadline: deadline, metadata: metadata,
                                      continuation: continuation)
        }
        return StreamSource(connection: self, call: call)
    }

    /// Runs a client-streaming call: each send waits while the server grants no credit.
    public func clientStreaming(
        _ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void
    ) async throws -> ByteBuffer {
        let (metadata, deadline) = prepare(options)
        let call = ClientCall()
        try await onLoop { handler, continuation in
            handler.startClientStream(call, method: method.fullName, deadline: deadline, metadata: metadata, continuation: continuation)
        }
        do {
            try await body(StreamSink(connection: self, call: call))
            return try await withTaskCancellationHandler {
                try await onLoop { handler, continuation in handler.finishSending(call, continuation: continuation) }
            } onCancel: {
                self.cancel(call)
            }
        } catch {
            cancel(call)
            throw error
        }
    }
}

/// Sends the requests of one client stream.
struct StreamSink: RequestSink {
    let connection: RPCConnection
    let call: ClientCall

    func send(_ payload: ByteBuffer) async throws {
        try await send(contentsOf: [payload])
    }

    /// Many messages in one hop to the event loop; they go as the server's credit allows, and
    /// this returns once the last has gone.
    func send(contentsOf payloads: [ByteBuffer]) async throws {
        let call = self.call
        let connection = self.connection
        let payloads = try payloads.map { try connection.checkedPayload($0) }
        try await withTaskCancellationHandler {
            try await connection.onLoop { (handler, continuation: CheckedContinuation<Void, any Error>) in
                handler.send(call, payloads: payloads, continuation: continuation)
            }
        } onCancel: {
            connection.cancel(call)
        }
    }
}

/// Reads one server stream; cancels the call if dropped before its end. Each trip to the event
/// loop takes every message that has arrived; they are handed out one by one from here.
final class StreamSource: ResponseSource {
    let connection: RPCConnection
    let call: ClientCall
    /// Messages taken from the connection (at most the call's window) and how many of them
    /// were handed on; the connection learns the count when the next are taken.
    private let taken = Mutex<(messages: [ByteBuffer], next: Int)>(([], 0))

    init(connection: RPCConnection, call: ClientCall) {
        self.connection = connection
        self.call = call
    }

    func next() async throws -> ByteBuffer? {
        let ready = taken.withLock { taken -> ByteBuffer? in
            guard taken.next < taken.messages.count else { return nil }
            defer { taken.next += 1 }
            return taken.messages[taken.next]
        }
        if let ready { return ready }
        let call = self.call
        let consumed = taken.withLock { $0.messages.count }  // every one taken was handed on
        let batch = try await withTaskCancellationHandler {
            try await connection.onLoop { handler, continuation in handler.receive(call, consumed: consumed, continuation: continuation) }
        } onCancel: {
            self.connection.cancel(call)
        }
        guard let batch, let first = batch.first else {
            taken.withLock { $0 = ([], 0) }
            return nil
        }
        taken.withLock { $0 = (batch, 1) }
        return first
    }

    deinit {
        connection.cancel(call)
    }
}

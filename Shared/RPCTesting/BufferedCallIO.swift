import NIOCore
import PinganRPC
import Synchronization

/// A streaming call's messages held in memory: the requests given up front, the responses
/// yielded to a stream the caller reads.
final class BufferedCallIO: ServerCallIO {
    private let requests: Mutex<ArraySlice<ByteBuffer>>
    private let responses: AsyncThrowingStream<ByteBuffer, any Error>.Continuation

    init(requests: [ByteBuffer], responses: AsyncThrowingStream<ByteBuffer, any Error>.Continuation) {
        self.requests = Mutex(requests[...])
        self.responses = responses
    }

    func receive() async throws -> [ByteBuffer]? {
        requests.withLock { pending in
            defer { pending = [] }
            return pending.isEmpty ? nil : Array(pending)
        }
    }

    func send(_ payload: ByteBuffer) async throws {
        try Task.checkCancellation()
        responses.yield(payload)
    }
}

/// Collects what a client stream sends.
final class CollectingSink: RequestSink {
    private let collected = Mutex<[ByteBuffer]>([])

    var payloads: [ByteBuffer] { collected.withLock { $0 } }

    func send(_ payload: ByteBuffer) async throws {
        collected.withLock { $0.append(payload) }
    }
}

/// A server stream's responses as the caller reads them; dropping it cancels the handler.
final class BufferedSource: ResponseSource {
    private let iterator: IteratorBox
    private let task: Task<Void, Never>

    init(iterator: IteratorBox, task: Task<Void, Never>) {
        self.iterator = iterator
        self.task = task
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }

    deinit {
        task.cancel()
    }
}

/// Lets one reader at a time advance a stream's iterator from a Sendable source.
final class IteratorBox: @unchecked Sendable {
    // Unchecked: a server stream has one reader, which awaits each `next` before the following.
    private var iterator: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ByteBuffer? {
        try await iterator.next()
    }
}

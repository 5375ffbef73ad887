import NIOCore
import NIOPosix
import PinganRPC
import PinganTLS
import Synchronization

/// The client for one service endpoint: keeps a connection, replaces it when it closes or the
/// server says GOAWAY, and retries a call when that is safe.
///
/// A call is retried after backoff with jitter when the connection could not be made or the
/// server did not process the call; any other UNAVAILABLE failure only when the method is
/// idempotent. Never past the call's deadline, never more than `maximumAttempts` times.
public final class RPCClient: ClientTransport {
    public let host: String
    public let port: Int
    private let tls: TLSContext
    private let serverName: String?
    private let configuration: RPCClientConfiguration
    private let group: any EventLoopGroup
    private let state = Mutex(State())

    private struct State {
        var connection: RPCConnection?
        var connecting: Task<RPCConnection, any Error>?
        var closed = false
    }

    public init(
        host: String, port: Int, tls: TLSContext, serverName: String? = nil,
        configuration: RPCClientConfiguration = RPCClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.serverName = serverName
        self.configuration = configuration
        self.group = group
    }

    /// Sends one request and waits for its response, retrying as described above.
    public func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        var options = options
        options.deadline = options.effectiveDeadline(now: .now)
        options.timeout = nil
        if options.metadata.requestID == nil { options.metadata.requestID = RequestID.make() }

        var attempt = 0
        while true {
            attempt += 1
            do {
                let connection = try await connection(before: options.deadline)
                return try await connection.unary(method, payload: payload, options: options)
            } catch {
                let failure = Self.rpcError(error)
                guard attempt < configuration.maximumAttempts, Self.mayRetry(failure, cause: error, method: method) else {
                    throw failure
                }
                let pause = configuration.backoff(after: attempt)
                if let deadline = options.deadline, ContinuousClock.now + pause >= deadline {
                    throw failure
                }
                try await Task.sleep(for: pause)
            }
        }
    }

    /// Starts a server stream on the current connection (a stream is never retried: its
    /// messages may already have been read).
    public func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource {
        do {
            return try await connection(before: options.effectiveDeadline(now: .now)).serverStreaming(method, payload: payload, options: options)
        } catch {
            throw Self.rpcError(error)
        }
    }

    /// Runs a client stream on the current connection (never retried: `body` ran once).
    public func clientStreaming(
        _ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void
    ) async throws -> ByteBuffer {
        let connection: RPCConnection
        do {
            connection = try await self.connection(before: options.effectiveDeadline(now: .now))
        } catch {
            throw Self.rpcError(error)
        }
        return try await connection.clientStreaming(method, options: options, body)
    }

    /// The connection in use, made (once, for all waiting callers) if there is none or the
    /// current one no longer takes calls. A caller stops waiting at its `deadline`; the
    /// connection attempt itself goes on for the others.
    public func connection(before deadline: ContinuousClock.Instant? = nil) async throws -> RPCConnection {
        enum Next {
            case ready(RPCConnection)
            case wait(Task<RPCConnection, any Error>)
        }
        let next: Next = try state.withLock { state in
            if state.closed { throw RPCError(.unavailable, "the client for \(host):\(port) is closed") }
            if let connection = state.connection, connection.isUsable {
                return .ready(connection)
            }
            if let connecting = state.connecting { return .wait(connecting) }
            let connecting = Task { [host, port, tls, serverName, configuration, group] in
                try await RPCConnection.connect(host: host, port: port, tls: tls, serverName: serverName,
                                                configuration: configuration, group: group)
            }
            state.connecting = connecting
            return .wait(connecting)
        }
        let task: Task<RPCConnection, any Error>
        switch next {
        case .ready(let connection): return connection
        case .wait(let connecting): task = connecting
        }
        do {
            let connection = try await Self.value(of: task, before: deadline, what: "connecting to \(host):\(port)")
            let stale: RPCConnection? = state.withLock { state in
                guard state.connection !== connection else { return nil }
                let previous = state.connection
                state.connection = connection
                state.connecting = nil
                return previous
            }
            if let stale { await stale.close() }
            return connection
        } catch {
            state.withLock { $0.connecting = nil }
            throw error
        }
    }

    /// Closes the connection; later calls fail with UNAVAILABLE.
    public func close() async {
        let connection = state.withLock { state -> RPCConnection? in
            state.closed = true
            state.connecting?.cancel()
            return state.connection
        }
        await connection?.close()
    }

    /// The task's value, or DEADLINE_EXCEEDED as soon as the deadline comes first (the task
    /// goes on for whoever else waits on it; waiting on a task's value cannot be cancelled,
    /// so the two outcomes race for one continuation).
    static func value<T: Sendable>(
        of task: Task<T, any Error>, before deadline: ContinuousClock.Instant?, what: String
    ) async throws -> T {
        guard let deadline else { return try await task.value }
        return try await withCheckedThrowingContinuation { continuation in
            let outcome = FirstOutcome(continuation)
            let timer = Task {
                // Cancelled means the task's outcome came first: that one must win, so a
                // cancelled sleep must not report the deadline.
                do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                outcome.resume(with: .failure(RPCError(.deadlineExceeded, "the deadline passed while \(what)")))
            }
            Task {
                do {
                    outcome.resume(with: .success(try await task.value))
                } catch {
                    outcome.resume(with: .failure(error))
                }
                timer.cancel()
            }
        }
    }

    private static func mayRetry(_ failure: RPCError, cause: any Error, method: MethodDescriptor) -> Bool {
        if cause is ConnectionError { return true }  // nothing was sent
        if failure.wasNotProcessed { return true }
        return failure.code == .unavailable && method.isIdempotent
    }

    private static func rpcError(_ error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: error
        case let error as ConnectionError: RPCError(.unavailable, error.reason, cause: error)
        case let error as TLSError: RPCError(.unavailable, error.description, cause: error)
        case is CancellationError: RPCError(.cancelled, "the call was cancelled by the caller")
        default: RPCError(.unavailable, "\(error)", cause: error)
        }
    }
}

/// Resumes a continuation with whichever outcome arrives first.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        self.continuation = Mutex(continuation)
    }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { pending in
            pending?.resume(with: result)
            pending = nil
        }
    }
}

import NIOCore
import PinganProtocolContracts
import Synchronization
import PinganRPC
import PinganTLS
import PinganWire

/// Identifies one client call across the hop to the event loop, so that cancellation can find
/// it. Only read and written on the connection's event loop.
final class ClientCall: @unchecked Sendable {
    var callID: UInt32 = 0
    var cancelled = false
    /// Set once a stream's end (or error) has been handed to the reader.
    var finished = false
    /// Why the call ended on this side (deadline, cancellation, lost connection), for a reader
    /// that was not waiting at the time.
    var failure: RPCError?
}

/// Carries out `ClientConnectionState`'s decisions: writes calls, matches answers to them,
/// enforces deadlines and fails what is in flight when the connection goes.
final class ClientConnectionHandler: ChannelInboundHandler, FrameWritingHandler {
    typealias InboundIn = WireEvent
    typealias OutboundOut = ByteBuffer

    /// One call in flight. A class, so updates happen in place rather than copying the record
    /// in and out of `pending` on the hot path.
    private final class PendingCall {
        let call: ClientCall
        let method: String
        var deadlineTimer: Scheduled<Void>?
        /// How the call ended, once its STATUS arrived; kept until a waiter takes it.
        var outcome: Result<Void, RPCError>?
        /// Unary and client-streaming calls: the single response and who waits for it.
        var response: ByteBuffer?
        var responseWaiter: CheckedContinuation<ByteBuffer, any Error>?
        /// Server-streaming calls: responses not yet read, and a reader waiting for one.
        var streamsResponses = false
        /// Made only for server streams: a unary call should not pay for a queue.
        lazy var inbound = CircularBuffer<ByteBuffer>(initialCapacity: FlowControl.initialWindow)
        var reader: CheckedContinuation<[ByteBuffer]?, any Error>?
        var consumedSinceGrant = 0
        /// Client-streaming calls: credit left, and a writer waiting for more.
        var sending = SendWindow()

        init(call: ClientCall, method: String) {
            self.call = call
            self.method = method
        }

        /// Wakes every waiter with `error`.
        func fail(_ error: RPCError) {
            responseWaiter?.resume(throwing: error)
            responseWaiter = nil
            reader?.resume(throwing: error)
            reader = nil
            sending.fail(error)
        }
    }

    /// Succeeds when the server's preface arrives (TLS done, both sides verified).
    let ready: EventLoopPromise<Void>
    /// Read by other threads to decide whether to send new calls here.
    let status: ConnectionStatus
    private let configuration: RPCClientConfiguration
    private var keepalive: RepeatedTask?
    private var pingTimeout: Scheduled<Void>?
    private var lastRead = NIODeadline.now()
    private var pingsSent: UInt64 = 0
    private var state = ClientConnectionState()
    private var pending: [UInt32: PendingCall] = [:]
    var outbound = OutboundFrameBuffer(allocator: ByteBufferAllocator())
    private(set) var context: ChannelHandlerContext?
    private var isReady = false
    private var closedReason: String?
    private var failureReason: String?

    init(ready: EventLoopPromise<Void>, status: ConnectionStatus, configuration: RPCClientConfiguration) {
        self.ready = ready
        self.status = status
        self.configuration = configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { sendPreface() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        keepalive?.cancel()
        pingTimeout?.cancel()
        status.markUnusable()
        // A connection that failed before becoming active never sees channelInactive.
        failReady(ConnectionError(reason: failureReason ?? "the connection could not be established"))
    }

    /// Fails `ready` unless it already completed.
    func failReady(_ error: ConnectionError) {
        guard !isReady else { return }
        isReady = true
        ready.fail(error)
    }

    func channelActive(context: ChannelHandlerContext) {
        sendPreface()
        context.fireChannelActive()
    }

    private func sendPreface() {
        // TLS holds this until the handshake completes.
        enqueue { FrameEncoder.writePreface(into: &$0) }
    }

    // MARK: Calls

    /// Opens a call: HEADERS, then whatever `body` writes (a request message, or nothing for a
    /// client stream). Returns the call id, or the error that stopped it.
    private func open(
        _ call: ClientCall, method: String, deadline: ContinuousClock.Instant?, metadata: Metadata,
        body: (UInt32, inout ByteBuffer) -> Void
    ) -> Result<UInt32, RPCError> {
        guard !call.cancelled else {
            return .failure(RPCError(.cancelled, "the call was cancelled before it started"))
        }
        guard closedReason == nil, let context, let callID = state.openCall() else {
            return .failure(RPCError.notProcessed("connection unavailable: \(closedReason ?? "the server is going away")"))
        }
        var timeout: Duration?
        if let deadline {
            let left = deadline - .now
            guard left > .zero else {
                state.callAbandoned(callID)
                return .failure(RPCError(.deadlineExceeded, "the deadline passed before \(method) was sent"))
            }
            timeout = left
        }
        call.callID = callID
        let headers = CallHeaders(method: method, timeout: timeout, metadata: metadata.entries)
        enqueue { buffer in
            FrameEncoder.writeFrame(.headers, callID: callID, into: &buffer) { headers.write(into: &$0) }
            body(callID, &buffer)
        }
        let entry = PendingCall(call: call, method: method)
        if let timeout {
            entry.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                self.abandon(callID, RPCError(.deadlineExceeded, "\(method) did not complete within its deadline"))
            }
        }
        pending[callID] = entry
        return .success(callID)
    }

    private static func writeRequest(_ payload: ByteBuffer) -> (UInt32, inout ByteBuffer) -> Void {
        { callID, buffer in
            FrameEncoder.writeFrame(.message, flags: .endStream, callID: callID, payload: payload, into: &buffer)
        }
    }

    /// Starts a unary call; `continuation` is resumed exactly once, with the response.
    func start(
        _ call: ClientCall, method: String, payload: ByteBuffer, deadline: ContinuousClock.Instant?,
        metadata: Metadata, continuation: CheckedContinuation<ByteBuffer, any Error>
    ) {
        switch open(call, method: method, deadline: deadline, metadata: metadata, body: Self.writeRequest(payload)) {
        case .success(let callID): pending[callID]?.responseWaiter = continuation
        case .failure(let error): continuation.resume(throwing: error)
        }
    }

    /// Starts a server-streaming call; responses are read with `receive`.
    func startServerStream(
        _ call: ClientCall, method: String, payload: ByteBuffer, deadline: ContinuousClock.Instant?,
        metadata: Metadata, continuation: CheckedContinuation<Void, any Error>
    ) {
        switch open(call, method: method, deadline: deadline, metadata: metadata, body: Self.writeRequest(payload)) {
        case .success(let callID):
            pending[callID]?.streamsResponses = true
            continuation.resume()
        case .failure(let error):
            continuation.resume(throwing: error)
        }
    }

    /// Starts a client-streaming call; requests go through `send`, then `finishSending`.
    func startClientStream(
        _ call: ClientCall, method: String, deadline: ContinuousClock.Instant?, metadata: Metadata,
        continuation: CheckedContinuation<Void, any Error>
    ) {
        switch open(call, method: method, deadline: deadline, metadata: metadata, body: { _, _ in }) {
        case .success: continuation.resume()
        case .failure(let error): continuation.resume(throwing: error)
        }
    }

    /// Every message that has arrived for `call` (waiting for one if none has), or nil at its
    /// end. `consumed` is how many the reader has handed on since it last asked: credit is
    /// given back for those only, so a reader that stops holds the server at one window.
    func receive(_ call: ClientCall, consumed: Int, continuation: CheckedContinuation<[ByteBuffer]?, any Error>) {
        if consumed > 0, let entry = pending[call.callID] {
            entry.consumedSinceGrant += consumed
            grantCreditIfDue(call.callID)
        }
        if let failure = call.failure, !call.finished {
            call.finished = true
            continuation.resume(throwing: failure)
            return
        }
        guard !call.finished, let entry = pending[call.callID] else {
            continuation.resume(returning: nil)
            return
        }
        if !entry.inbound.isEmpty {
            // Everything that has arrived, in one hop: a reader on another thread would
            // otherwise come back to the event loop once per message.
            let payloads = Array(entry.inbound)
            entry.inbound.removeAll(keepingCapacity: true)
            continuation.resume(returning: payloads)
        } else if let outcome = entry.outcome {
            pending[call.callID] = nil
            call.finished = true
            continuation.resume(with: outcome.map { nil })
        } else {
            entry.reader = continuation
        }
    }

    /// Gives the server credit back once half the window has been read.
    private func grantCreditIfDue(_ callID: UInt32) {
        guard let entry = pending[callID], entry.outcome == nil,
              entry.consumedSinceGrant >= FlowControl.initialWindow / 2 else { return }
        let count = entry.consumedSinceGrant
        pending[callID]?.consumedSinceGrant = 0
        state.grantCredit(count, callID: callID)
        enqueue { buffer in
            FrameEncoder.writeFrame(.windowUpdate, callID: callID, into: &buffer) { $0.writeInteger(UInt32(count)) }
        }
    }

    /// Sends one message of a client stream; waits while the server grants no credit.
    func send(_ call: ClientCall, payloads: [ByteBuffer], continuation: CheckedContinuation<Void, any Error>) {
        guard let entry = pending[call.callID] else {
            continuation.resume(throwing: RPCError(.cancelled, "the call has ended"))
            return
        }
        if case .failure(let error)? = entry.outcome {
            continuation.resume(throwing: error)
        } else if entry.outcome != nil {
            continuation.resume(throwing: RPCError(.failedPrecondition, "the server ended \(entry.method) before the stream was finished"))
        } else {
            let (now, done) = entry.sending.offer(payloads, continuation)
            for payload in now {
                enqueue { FrameEncoder.writeFrame(.message, callID: call.callID, payload: payload, into: &$0) }
            }
            if done { continuation.resume() }
        }
    }

    /// Ends a client stream (CLOSE) and waits for the single response.
    func finishSending(_ call: ClientCall, continuation: CheckedContinuation<ByteBuffer, any Error>) {
        guard let entry = pending[call.callID] else {
            continuation.resume(throwing: RPCError(.cancelled, "the call has ended"))
            return
        }
        if entry.outcome == nil {
            enqueue { FrameEncoder.writeFrame(.close, callID: call.callID, payload: ByteBuffer(), into: &$0) }
        }
        pending[call.callID]?.responseWaiter = continuation
        resolveSingleResponse(call.callID)
    }

    /// The caller's task was cancelled, or it stopped reading a stream.
    func cancel(_ call: ClientCall) {
        call.cancelled = true
        guard call.callID != 0, !call.finished else { return }
        abandon(call.callID, RPCError(.cancelled, "the call was cancelled by the caller"))
    }

    /// Ends a call on this side and tells the server to stop working on it.
    private func abandon(_ callID: UInt32, _ error: RPCError) {
        guard pending[callID] != nil else { return }
        fail(callID, error)
        enqueue { FrameEncoder.writeFrame(.cancel, callID: callID, payload: ByteBuffer(), into: &$0) }
    }

    /// Ends a call on this side, waking whoever waits on it with `error`.
    private func fail(_ callID: UInt32, _ error: RPCError) {
        guard let entry = pending.removeValue(forKey: callID) else { return }
        entry.deadlineTimer?.cancel()
        state.callAbandoned(callID)
        if entry.reader != nil { entry.call.finished = true }
        entry.call.failure = error
        entry.fail(error)
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let event = unwrapInboundIn(data)
        lastRead = .now()
        if case .preface = event, !isReady {
            isReady = true
            ready.succeed(())
            startKeepalive(context: context)
        }
        perform(state.received(event))
    }

    private func perform(_ action: ClientConnectionState.Action) {
        switch action {
        case .none:
            break
        case .deliverMessage(let callID, let payload):
            deliver(payload, callID: callID)
        case .finishCall(let callID, let status):
            guard pending[callID] != nil else { return }
            pending[callID]?.deadlineTimer?.cancel()
            pending[callID]?.outcome = status.code == RPCError.Code.ok.rawValue ? .success(()) : .failure(status.rpcError)
            if pending[callID]?.streamsResponses == true {
                resolveStreamEnd(callID)
            } else {
                resolveSingleResponse(callID)
            }
        case .windowUpdate(let callID, let increment):
            guard let released = pending[callID]?.sending.grant(increment) else { return }
            for payload in released.send {
                enqueue { FrameEncoder.writeFrame(.message, callID: callID, payload: payload, into: &$0) }
            }
            released.resume?.resume()
        case .answerPing(let payload):
            enqueue { FrameEncoder.writeFrame(.ping, flags: .ack, callID: 0, payload: payload, into: &$0) }
        case .pingAcknowledged:
            pingTimeout?.cancel()
            pingTimeout = nil
        case .goAway(let goAway):
            closedReason = "the server sent GOAWAY \(goAway.errorCode): \(goAway.message)"
            // Calls the server never saw can safely go elsewhere; the rest may still finish.
            status.markUnusable()
            for callID in pending.keys where callID > goAway.lastCallID {
                fail(callID, RPCError.notProcessed("the server is going away and did not process the call (\(goAway.message))"))
            }
            if goAway.errorCode != .noError { closeConnection() }
        case .closeWithError(let error):
            let goAway = GoAway(lastCallID: 0, errorCode: error.goAwayCode, message: error.message)
            enqueue { buffer in
                FrameEncoder.writeFrame(.goAway, callID: 0, into: &buffer) { goAway.write(into: &$0) }
            }
            closedReason = "protocol error from the server: \(error.message)"
            closeConnection()
        }
    }

    // MARK: Keepalive

    private func startKeepalive(context: ChannelHandlerContext) {
        guard let interval = configuration.keepaliveInterval else { return }
        let period = TimeAmount(interval)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        keepalive = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            handler.value.pingIfQuiet()
        }
    }

    /// Pings a server that has been quiet for a whole interval, and closes the connection if
    /// the answer does not come in time.
    private func pingIfQuiet() {
        guard let interval = configuration.keepaliveInterval, pingTimeout == nil, let context,
              NIODeadline.now() - lastRead >= TimeAmount(interval) else { return }
        pingsSent += 1
        var payload = ByteBuffer()
        payload.writeInteger(pingsSent)
        enqueue { FrameEncoder.writeFrame(.ping, callID: 0, payload: payload, into: &$0) }
        let timeout = configuration.keepaliveTimeout
        pingTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            self.closedReason = "keepalive: the server did not answer a PING within \(timeout)"
            self.closeConnection()
        }
    }

    private func deliver(_ payload: ByteBuffer, callID: UInt32) {
        guard let entry = pending[callID] else { return }
        if entry.streamsResponses {
            if let reader = entry.reader {
                entry.reader = nil
                reader.resume(returning: [payload])
            } else {
                entry.inbound.append(payload)
            }
        } else if entry.response == nil {
            entry.response = payload
        } else {
            abandon(callID, RPCError(.internal, "the server sent more than one response message for \(entry.method)"))
        }
    }

    /// Completes a unary or client-streaming call once both its STATUS and a waiter are there.
    private func resolveSingleResponse(_ callID: UInt32) {
        guard let entry = pending[callID], let outcome = entry.outcome else { return }
        // A client stream the server ended early: its parked writer learns it now.
        switch outcome {
        case .failure(let error):
            entry.sending.fail(error)
        case .success:
            entry.sending.fail(RPCError(.failedPrecondition, "the server ended \(entry.method) before the stream was finished"))
        }
        guard let waiter = entry.responseWaiter else { return }
        pending[callID] = nil
        switch outcome {
        case .failure(let error):
            waiter.resume(throwing: error)
        case .success where entry.response != nil:
            waiter.resume(returning: entry.response!)
        case .success:
            waiter.resume(throwing: RPCError(.internal, "the server ended \(entry.method) with OK but no response message"))
        }
    }

    /// Hands a waiting reader the end of its stream, once everything before it has been read.
    private func resolveStreamEnd(_ callID: UInt32) {
        guard let entry = pending[callID], let outcome = entry.outcome, let reader = entry.reader, entry.inbound.isEmpty else { return }
        pending[callID] = nil
        reader.resume(with: outcome.map { nil })
    }

    private func closeConnection() {
        guard let context else { return }
        outbound.flush(context)
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as ProtocolError:
            perform(state.failed(with: error))
        case let error as TLSError:
            failureReason = error.description
        case is ByteToMessageDecoderError:
            break
        default:
            failureReason = "\(error)"
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        status.markUnusable()
        keepalive?.cancel()
        pingTimeout?.cancel()
        let reason = closedReason ?? failureReason ?? "the connection closed"
        closedReason = reason
        failReady(ConnectionError(reason: failureReason ?? "the server closed the connection before sending the Pingan preface"))
        // A call whose STATUS has arrived keeps it: its reader gets the messages that came
        // before, then that status, not "connection lost".
        for callID in Array(pending.keys) where pending[callID]?.outcome == nil {
            fail(callID, RPCError(.unavailable, "connection lost: \(reason)"))
        }
        context.fireChannelInactive()
    }

}

/// Whether a connection still takes new calls, readable from any thread.
public final class ConnectionStatus: Sendable {
    private let usable = Atomic(true)

    init() {}

    /// False once the connection has closed or the server said GOAWAY.
    public var isUsable: Bool { usable.load(ordering: .relaxed) }

    func markUnusable() {
        usable.store(false, ordering: .relaxed)
    }
}

/// Why a connection could not be set up, in words (OpenSSL's reason included).
public struct ConnectionError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

@available(*, unavailable)
extension ClientConnectionHandler: Sendable {}

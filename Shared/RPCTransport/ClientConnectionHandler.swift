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
}

/// Carries out `ClientConnectionState`'s decisions: writes calls, matches answers to them,
/// enforces deadlines and fails what is in flight when the connection goes.
final class ClientConnectionHandler: ChannelInboundHandler, FrameWritingHandler {
    typealias InboundIn = WireEvent
    typealias OutboundOut = ByteBuffer

    private struct PendingCall {
        var continuation: CheckedContinuation<ByteBuffer, any Error>
        var method: String
        var response: ByteBuffer?
        var deadlineTimer: Scheduled<Void>?
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

    /// Starts a unary call; `continuation` is resumed exactly once.
    func start(
        _ call: ClientCall, method: String, payload: ByteBuffer, deadline: ContinuousClock.Instant?,
        metadata: Metadata, continuation: CheckedContinuation<ByteBuffer, any Error>
    ) {
        guard !call.cancelled else {
            continuation.resume(throwing: RPCError(.cancelled, "the call was cancelled before it started"))
            return
        }
        guard closedReason == nil, let context, let callID = state.openCall() else {
            continuation.resume(throwing: RPCError.notProcessed("connection unavailable: \(closedReason ?? "the server is going away")"))
            return
        }
        var timeout: Duration?
        if let deadline {
            timeout = deadline - .now
            guard timeout! > .zero else {
                state.callAbandoned(callID)
                continuation.resume(throwing: RPCError(.deadlineExceeded, "the deadline passed before \(method) was sent"))
                return
            }
        }
        call.callID = callID
        let headers = CallHeaders(method: method, timeout: timeout, metadata: metadata.entries)
        enqueue { buffer in
            FrameEncoder.writeFrame(.headers, callID: callID, into: &buffer) { headers.write(into: &$0) }
            FrameEncoder.writeFrame(.message, flags: .endStream, callID: callID, payload: payload, into: &buffer)
        }
        var entry = PendingCall(continuation: continuation, method: method)
        if let timeout {
            entry.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                self.abandon(callID, RPCError(.deadlineExceeded, "\(method) did not complete within its deadline"))
            }
        }
        pending[callID] = entry
    }

    /// The caller's task was cancelled.
    func cancel(_ call: ClientCall) {
        call.cancelled = true
        guard call.callID != 0 else { return }
        abandon(call.callID, RPCError(.cancelled, "the call was cancelled by the caller"))
    }

    /// Ends a call on this side and tells the server to stop working on it.
    private func abandon(_ callID: UInt32, _ error: RPCError) {
        guard let call = pending.removeValue(forKey: callID) else { return }
        call.deadlineTimer?.cancel()
        state.callAbandoned(callID)
        enqueue { FrameEncoder.writeFrame(.cancel, callID: callID, payload: ByteBuffer(), into: &$0) }
        call.continuation.resume(throwing: error)
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
            guard pending[callID]?.response == nil else {
                abandon(callID, RPCError(.internal, "the server sent more than one response message for a unary call"))
                return
            }
            pending[callID]?.response = payload
        case .finishCall(let callID, let status):
            guard let call = pending.removeValue(forKey: callID) else { return }
            call.deadlineTimer?.cancel()
            if status.code != RPCError.Code.ok.rawValue {
                call.continuation.resume(throwing: status.rpcError)
            } else if let response = call.response {
                call.continuation.resume(returning: response)
            } else {
                call.continuation.resume(throwing: RPCError(.internal, "the server ended \(call.method) with OK but no response message"))
            }
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

    private func fail(_ callID: UInt32, _ error: RPCError) {
        guard let call = pending.removeValue(forKey: callID) else { return }
        call.deadlineTimer?.cancel()
        state.callAbandoned(callID)
        call.continuation.resume(throwing: error)
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
        for callID in Array(pending.keys) {
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

extension RPCError {
    /// The `StatusDetails.reason` of a call that never reached a handler: safe to retry.
    public static let notProcessedReason = "NOT_PROCESSED"

    static func notProcessed(_ message: String) -> RPCError {
        var details = Pingan_Rpc_V1_StatusDetails()
        details.reason = notProcessedReason
        return RPCError(.unavailable, message, details: details)
    }

    /// True for UNAVAILABLE errors of calls the server never processed.
    public var wasNotProcessed: Bool {
        code == .unavailable && details?.reason == Self.notProcessedReason
    }
}

/// Why a connection could not be set up, in words (OpenSSL's reason included).
public struct ConnectionError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

@available(*, unavailable)
extension ClientConnectionHandler: Sendable {}

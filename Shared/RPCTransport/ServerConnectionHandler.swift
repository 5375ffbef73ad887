#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import PinganIdentity
import PinganRPC
import PinganTLS
import PinganWire

/// Carries out `ServerConnectionState`'s decisions for one connection: starts a handler task
/// per call on this event loop, enforces deadlines, and writes answers coalesced per tick.
final class ServerConnectionHandler: ChannelInboundHandler, FrameWritingHandler {
    typealias InboundIn = WireEvent
    typealias OutboundOut = ByteBuffer

    private struct ActiveCall {
        var route: Router.Route
        var headers: CallHeaders
        var caller: Caller?
        var deadline: ContinuousClock.Instant?
        var deadlineTimer: Scheduled<Void>?
        var task: Task<Void, Never>?
    }

    private let router: Router
    private let accessControl: AccessControl
    private let maximumResponseSize: Int
    private let idleTimeout: Duration?
    private var idleCheck: RepeatedTask?
    private var lastActivity = NIODeadline.now()
    private var state: ServerConnectionState
    private var logger: Logger
    private var peer: PeerIdentity?
    private var calls: [UInt32: ActiveCall] = [:]
    var outbound: OutboundFrameBuffer
    private(set) var context: ChannelHandlerContext?
    private var executor: EventLoopTaskExecutor?
    private var peerGoingAway = false

    init(router: Router, accessControl: AccessControl, configuration: RPCServerConfiguration, logger: Logger) {
        self.router = router
        self.accessControl = accessControl
        self.maximumResponseSize = configuration.maximumResponseSize
        self.idleTimeout = configuration.idleTimeout
        let maximumConcurrentCalls = configuration.maximumConcurrentCallsPerConnection
        self.state = ServerConnectionState(maximumConcurrentCalls: maximumConcurrentCalls)
        self.logger = logger
        self.outbound = OutboundFrameBuffer(allocator: ByteBufferAllocator())
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.executor = EventLoopTaskExecutor(context.eventLoop)
        if let remote = context.channel.remoteAddress {
            logger[metadataKey: "remote"] = "\(remote)"
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdown {
            goAway(reason: "the server is shutting down")
            return
        }
        if let handshake = event as? TLSHandshakeCompleted {
            peer = handshake.peer
            logger[metadataKey: "peer"] = "\(handshake.peer)"
            logger.debug("connection established", metadata: ["tls.cipher": "\(handshake.cipherSuite)"])
            enqueue { FrameEncoder.writePreface(into: &$0) }
            startIdleChecks(context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        perform(state.received(unwrapInboundIn(data)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as ProtocolError:
            perform(state.failed(with: error))
        case let error as TLSError:
            // The TLS handler closes the connection itself, after flushing its alert.
            logger.info("TLS connection failed", metadata: ["error": "\(error)"])
        case is ByteToMessageDecoderError:
            break  // input after a decoding error; the connection is already closing
        case let error as IOError where error.errnoCode == ECONNRESET || error.errnoCode == EPIPE:
            logger.debug("connection reset by peer", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        default:
            logger.info("connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        for call in calls.values {
            call.deadlineTimer?.cancel()
            call.task?.cancel()
        }
        calls.removeAll()
        context.fireChannelInactive()
    }

    // MARK: Actions

    private func perform(_ action: ServerConnectionState.Action) {
        switch action {
        case .none:
            break
        case .openCall(let callID, let headers, let endStream):
            openCall(callID, headers: headers, endStream: endStream)
        case .receiveMessage(let callID, let payload, let endStream):
            receiveRequest(callID, payload: payload, endStream: endStream)
        case .rejectCall(let callID, let status):
            sendStatus(status, callID: callID)
        case .cancelCall(let callID):
            if let call = calls.removeValue(forKey: callID) {
                call.deadlineTimer?.cancel()
                call.task?.cancel()
            }
            closeIfDrained()
        case .answerPing(let payload):
            enqueue { FrameEncoder.writeFrame(.ping, flags: .ack, callID: 0, payload: payload, into: &$0) }
        case .peerGoingAway(let goAway):
            logger.debug("peer is going away", metadata: ["goaway.code": "\(goAway.errorCode)"])
            peerGoingAway = true
            closeIfDrained()
        case .closeWithError(let error):
            closeWithError(error)
        }
    }

    private func openCall(_ callID: UInt32, headers: CallHeaders, endStream: Bool) {
        guard let route = router.route(for: headers.method) else {
            finish(callID, with: RPCError(.unimplemented, "method \(headers.method) is not served here; /pingan.rpc.v1.Reflection/ListMethods lists what is"))
            return
        }
        guard route.descriptor.kind == .unary else {
            finish(callID, with: RPCError(.unimplemented, "\(route.descriptor.kind) methods are not served by this version"))
            return
        }
        guard !endStream else {
            finish(callID, with: RPCError(.invalidArgument, "unary call \(headers.method) ended without a request message"))
            return
        }
        guard let peer else { return }  // frames arrive only after the handshake
        let caller: Caller?
        switch accessControl.authorize(peer, for: route.descriptor) {
        case .success(let allowed):
            caller = allowed
        case .failure(let refusal):
            logger.info("call refused", metadata: ["rpc.method": "\(headers.method)", "error": "\(refusal)"])
            finish(callID, with: refusal)
            return
        }
        var call = ActiveCall(route: route, headers: headers, caller: caller)
        if let timeout = headers.timeout, let context {
            call.deadline = .now + timeout
            call.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
                self.deadlinePassed(callID)
            }
        }
        calls[callID] = call
    }

    private func receiveRequest(_ callID: UInt32, payload: ByteBuffer, endStream: Bool) {
        guard let call = calls[callID] else { return }  // refused at open; its status is sent
        guard endStream else {
            finish(callID, with: RPCError(.invalidArgument, "unary call \(call.headers.method): the request message must carry END_STREAM"))
            return
        }
        guard let peer, let executor, let context else { return }

        let serverContext = ServerContext(
            method: call.route.descriptor, metadata: Metadata(call.headers.metadata), deadline: call.deadline, peer: peer,
            caller: call.caller, connectionLogger: logger)

        let route = call.route
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        calls[callID]?.task = Task(executorPreference: executor) {
            let result = await route.invoke(payload, context: serverContext)
            // The task prefers this event loop, so this is normally true and the answer is
            // written without another hop.
            if handler.eventLoop.inEventLoop {
                handler.value.completed(callID, result)
            } else {
                handler.eventLoop.execute { handler.value.completed(callID, result) }
            }
        }
    }

    private func completed(_ callID: UInt32, _ result: Result<ByteBuffer, RPCError>) {
        guard let call = calls.removeValue(forKey: callID) else { return }  // cancelled or timed out
        call.deadlineTimer?.cancel()
        state.callFinished(callID)
        switch result {
        case .success(let response) where response.readableBytes > maximumResponseSize:
            sendStatus(CallStatus(RPCError(.resourceExhausted,
                "response of \(response.readableBytes) bytes exceeds this server's limit of \(maximumResponseSize)")), callID: callID)
        case .success(let response):
            enqueue { buffer in
                FrameEncoder.writeFrame(.message, callID: callID, payload: response, into: &buffer)
                FrameEncoder.writeFrame(.status, callID: callID, into: &buffer) { CallStatus.ok.write(into: &$0) }
            }
        case .failure(let error):
            sendStatus(CallStatus(error), callID: callID)
        }
        closeIfDrained()
    }

    private func deadlinePassed(_ callID: UInt32) {
        guard let call = calls.removeValue(forKey: callID) else { return }
        call.task?.cancel()
        finish(callID, with: RPCError(.deadlineExceeded, "the call's deadline passed before \(call.headers.method) completed"))
    }

    /// Ends a call that has no running handler (or whose handler is abandoned).
    private func finish(_ callID: UInt32, with error: RPCError) {
        calls.removeValue(forKey: callID)?.deadlineTimer?.cancel()
        state.callFinished(callID)
        sendStatus(CallStatus(error), callID: callID)
        closeIfDrained()
    }

    private func sendStatus(_ status: CallStatus, callID: UInt32) {
        enqueue { buffer in
            FrameEncoder.writeFrame(.status, callID: callID, into: &buffer) { status.write(into: &$0) }
        }
    }

    private func closeWithError(_ error: ProtocolError) {
        logger.info("closing connection after a protocol error", metadata: ["error": "\(error)"])
        let goAway = GoAway(lastCallID: state.lastCallID, errorCode: error.goAwayCode, message: error.message)
        enqueue { buffer in
            FrameEncoder.writeFrame(.goAway, callID: 0, into: &buffer) { goAway.write(into: &$0) }
        }
        guard let context else { return }
        outbound.flush(context)
        for call in calls.values {
            call.deadlineTimer?.cancel()
            call.task?.cancel()
        }
        calls.removeAll()
        context.close(promise: nil)
    }

    /// Sends a graceful GOAWAY: calls in flight finish, new ones are refused, and the
    /// connection closes once the last one has answered.
    private func goAway(reason: String) {
        guard let goAway = state.beginShutdown(reason: reason) else { return }
        logger.debug("going away", metadata: ["reason": "\(reason)", "calls.open": "\(calls.count)"])
        enqueue { buffer in
            FrameEncoder.writeFrame(.goAway, callID: 0, into: &buffer) { goAway.write(into: &$0) }
        }
        closeIfDrained()
    }

    /// Idleness counts from the handshake on; before it, the handshake timeout applies.
    private func startIdleChecks(context: ChannelHandlerContext) {
        guard let idleTimeout else { return }
        lastActivity = .now()
        let period = TimeAmount.nanoseconds(TimeAmount(idleTimeout).nanoseconds / 4)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
            handler.value.closeIfIdle()
        }
    }

    private func closeIfIdle() {
        guard let idleTimeout, calls.isEmpty, NIODeadline.now() - lastActivity >= TimeAmount(idleTimeout) else { return }
        idleCheck?.cancel()
        goAway(reason: "idle for \(idleTimeout)")
    }

    private func closeIfDrained() {
        if peerGoingAway || state.isShuttingDown, calls.isEmpty, let context {
            outbound.flush(context)
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ServerConnectionHandler: Sendable {}

/// The user event that starts a connection's graceful shutdown.
struct GracefulShutdown: Sendable {}

import Logging
import NIOCore
import PinganIdentity
import PinganRPC

/// Calls a router's handlers directly, with no socket, TLS or frames: what a service's tests use
/// to call its methods through its typed client. Authorization, deadlines, metadata and error
/// mapping are those of the real server; flow control is not (streams are buffered whole).
public struct InProcessTransport: ClientTransport {
    let router: Router
    let accessControl: AccessControl
    /// Who the caller is, as a verified certificate would say.
    public let peer: PeerIdentity
    let logger: Logger

    public init(router: Router, accessControl: AccessControl, peer: PeerIdentity, logger: Logger = Logger(label: "pingan.in-process")) {
        self.router = router
        self.accessControl = accessControl
        self.peer = peer
        self.logger = logger
    }

    /// The same server, called as `peer`.
    public func calling(as peer: PeerIdentity) -> InProcessTransport {
        InProcessTransport(router: router, accessControl: accessControl, peer: peer, logger: logger)
    }

    public func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        let (route, context) = try await prepare(method, options)
        return try await Self.withDeadline(context.deadline) {
            try await route.invoke(payload, context: context).get()
        }
    }

    public func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource {
        let (route, context) = try await prepare(method, options)
        let (responses, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let io = BufferedCallIO(requests: [payload], responses: continuation)
        let task = Task {
            let result = await Self.withDeadlineResult(context.deadline) { try await route.invokeStreaming(io, context: context).get() }
            switch result {
            case .success: continuation.finish()
            case .failure(let error): continuation.finish(throwing: error)
            }
        }
        return BufferedSource(iterator: IteratorBox(responses.makeAsyncIterator()), task: task)
    }

    public func clientStreaming(
        _ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void
    ) async throws -> ByteBuffer {
        let (route, context) = try await prepare(method, options)
        let sink = CollectingSink()
        try await body(sink)
        let (_, continuation) = AsyncThrowingStream.makeStream(of: ByteBuffer.self)
        let io = BufferedCallIO(requests: sink.payloads, responses: continuation)
        return try await Self.withDeadline(context.deadline) {
            guard let response = try await route.invokeStreaming(io, context: context).get() else {
                throw RPCError(.internal, "\(method) ended without a response")
            }
            return response
        }
    }

    /// The route and the context a handler sees, or the error the server would answer first.
    private func prepare(_ method: MethodDescriptor, _ options: CallOptions) async throws(RPCError) -> (Router.Route, ServerContext) {
        guard let route = router.route(for: method.fullName) else {
            throw RPCError(.unimplemented, "method \(method.fullName) is not implemented by this server")
        }
        var metadata = options.metadata
        if metadata.requestID == nil { metadata.requestID = RequestID.make() }
        let caller: Caller?
        switch accessControl.authorize(peer, for: route.descriptor) {
        case .success(let allowed):
            caller = allowed
        case .failure(let refusal):
            let actor = accessControl.list.caller(for: peer)?.matchedBy ?? peer.description
            await router.denials.recordIfDenied(refusal, actor: actor, method: method.fullName, requestID: metadata.requestID ?? "-")
            throw refusal
        }
        let context = ServerContext(method: route.descriptor, metadata: metadata, deadline: options.effectiveDeadline(now: .now),
                                    peer: peer, caller: caller, denials: router.denials, gate: router.gate, connectionLogger: logger)
        return (route, context)
    }

    /// Runs `body`, answering DEADLINE_EXCEEDED and cancelling it when the deadline comes first.
    static func withDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadlineResult(deadline, body).get()
    }

    static func withDeadlineResult<T: Sendable>(
        _ deadline: ContinuousClock.Instant?, _ body: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        guard let deadline else { return await Result { try await body() } }
        return await withTaskGroup(of: Result<T, any Error>.self) { group in
            group.addTask { await Result { try await body() } }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .failure(RPCError(.deadlineExceeded, "the deadline passed before the handler answered"))
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension InProcessTransport {
    /// `services` behind a real router (Health and Reflection not included) and an ACL with one
    /// identity, called as that identity: `role`, scoped to `unit` if given. Refused calls go to
    /// `denials` when given, as the host sends them to the service's audit log.
    public static func serving(
        _ services: [any RPCService], as role: Role, unit: String? = nil, person: String? = nil, denials: (any DenialRecorder)? = nil
    ) -> InProcessTransport {
        var router = Router()
        for service in services { service.register(with: &router) }
        if let denials { router.denials.recordDenials(with: denials) }
        let name = person ?? "tester-\(role.rawValue)-\(unit ?? "town")"
        var list = AccessControlList()
        // A fixed, valid entry: the add cannot fail.
        try? list.add(match: "cn:\(name)", caller: Caller(role: role, unitScope: unit, matchedBy: "cn:\(name)"))
        return InProcessTransport(router: router, accessControl: AccessControl(list), peer: PeerIdentity(commonName: name, fingerprint: String(repeating: "0", count: 64)))
    }
}

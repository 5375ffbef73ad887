import Logging
import PinganIdentity

/// What a handler knows about the call it is serving.
public struct ServerContext: Sendable {
    public var method: MethodDescriptor
    public var metadata: Metadata
    /// When the caller stops waiting; pass what is left to downstream calls.
    public var deadline: ContinuousClock.Instant?
    /// The caller, as proven by its client certificate.
    public var peer: PeerIdentity
    /// The caller's role and unit scope from the ACL; nil only for `.anyVerifiedPeer` methods
    /// called by an identity the ACL does not list.
    public var caller: Caller?
    /// Where refusals of this call are kept on record; nil where nothing records them.
    public var denials: DenialSink?
    /// The server's gate, consulted before the handler runs.
    public var gate: GateSlot?
    private let connectionLogger: Logger

    /// - Parameter connectionLogger: the connection's logger (with `peer`); the call's own
    ///   `rpc.method` and `request.id` are added when `logger` is first used.
    public init(
        method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: PeerIdentity, caller: Caller?,
        denials: DenialSink? = nil, gate: GateSlot? = nil, connectionLogger: Logger
    ) {
        self.denials = denials
        self.gate = gate
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.caller = caller
        self.connectionLogger = connectionLogger
    }

    /// Carries `rpc.method`, `request.id` and `peer` on every line. Built on use: most calls
    /// never log, and metadata costs allocations on the hot path.
    public var logger: Logger {
        var logger = connectionLogger
        logger[metadataKey: "rpc.method"] = "\(method.fullName)"
        logger[metadataKey: "request.id"] = "\(requestID)"
        return logger
    }

    /// Who the audit log names: the ACL entry that matched, else the certificate identity.
    public var actor: String {
        caller?.matchedBy ?? peer.description
    }

    /// Keeps on record a refusal this handler answers with something else than
    /// PERMISSION_DENIED, e.g. NOT_FOUND for a volunteer outside the caller's unit.
    public func recordDenial(_ reason: String) async {
        await denials?.record(Denial(actor: actor, method: method.fullName, reason: reason, requestID: requestID))
    }

    /// The unit a call looks at. A caller scoped to a unit gets that unit when it asks for none
    /// or its own, and PERMISSION_DENIED (kept on record by the router) for any other: never a
    /// different answer than the one asked for. A town-wide caller gets what it asked (nil: all).
    public func unitScope(asked: String, field: String = "unit_code") throws(RPCError) -> String? {
        guard let scope = caller?.unitScope else { return asked.isEmpty ? nil : asked }
        guard asked.isEmpty || asked == scope else {
            throw RPCError(.permissionDenied, "\(field): a \(caller?.role.rawValue ?? "caller") of \(scope) may not look at \(asked.prefix(64))")
        }
        return scope
    }

    /// The caller's request id, or "-" if it sent none.
    public var requestID: String { metadata.requestID ?? "-" }

    /// Time left before the deadline, or nil for none.
    public var timeRemaining: Duration? {
        deadline.map { $0 - ContinuousClock.now }
    }
}

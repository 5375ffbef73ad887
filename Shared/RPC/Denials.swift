import Synchronization

/// A call refused to its caller: who asked, for what, and why. Every refusal of a role, a unit
/// scope or personal data is kept on record, not only counted.
public struct Denial: Sendable, Hashable {
    /// The ACL entry that matched, or the certificate identity.
    public var actor: String
    public var method: String
    /// The code and the reason, e.g. "PERMISSION_DENIED: role clerk may not ...".
    public var reason: String
    public var requestID: String

    public init(actor: String, method: String, reason: String, requestID: String) {
        self.actor = actor
        self.method = method
        self.reason = reason
        self.requestID = requestID
    }
}

/// Where a server keeps its denials: the service's append-only audit log.
public protocol DenialRecorder: Sendable {
    func record(_ denial: Denial) async
}

/// The recorder a router's calls report to, set once the service's store exists. Shared by
/// reference so that routes registered before it was set report to it too.
public final class DenialSink: Sendable {
    private let recorder = Mutex<(any DenialRecorder)?>(nil)

    public init() {}

    /// From now on, denials go to `recorder`.
    public func recordDenials(with recorder: any DenialRecorder) {
        self.recorder.withLock { $0 = recorder }
    }

    public func record(_ denial: Denial) async {
        guard let recorder = recorder.withLock({ $0 }) else { return }
        await recorder.record(denial)
    }

    /// Records `error` if it refuses the caller (PERMISSION_DENIED or UNAUTHENTICATED).
    public func recordIfDenied(_ error: RPCError, actor: String, method: String, requestID: String) async {
        guard error.code == .permissionDenied || error.code == .unauthenticated else { return }
        await record(Denial(actor: actor, method: method, reason: "\(error.code): \(error.message)", requestID: requestID))
    }
}

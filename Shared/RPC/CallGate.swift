import Synchronization

/// Stands before every handler of a server: it may refuse a call before the handler runs (a
/// service whose database is damaged), and it hears of every handler failure that was not an
/// RPC error (where such damage first shows).
public protocol CallGate: Sendable {
    /// The error to answer instead of running the handler, or nil.
    func refusal(for method: MethodDescriptor) -> RPCError?
    /// A handler failed with `error`, which goes out as INTERNAL.
    func handlerFailed(_ error: any Error)
}

/// The gate a router's calls pass, set once the service's store exists.
public final class GateSlot: Sendable {
    private let gate = Mutex<(any CallGate)?>(nil)

    public init() {}

    public func install(_ gate: any CallGate) {
        self.gate.withLock { $0 = gate }
    }

    public func refusal(for method: MethodDescriptor) -> RPCError? {
        gate.withLock { $0 }?.refusal(for: method)
    }

    public func handlerFailed(_ error: any Error) {
        gate.withLock { $0 }?.handlerFailed(error)
    }
}

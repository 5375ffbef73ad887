import PinganIdentity
import Synchronization

/// The ACL in force for a server, replaceable while it runs (SIGHUP) without dropping
/// connections: each call is checked against the list current when it arrives.
public final class AccessControl: Sendable {
    private let current: Mutex<AccessControlList>

    public init(_ list: AccessControlList) {
        current = Mutex(list)
    }

    /// Puts `list` in force for every call from now on.
    public func replace(with list: AccessControlList) {
        current.withLock { $0 = list }
    }

    /// The list in force.
    public var list: AccessControlList {
        current.withLock { $0 }
    }

    /// Decides whether `peer` may call `method`: UNAUTHENTICATED for an identity the list does
    /// not name, PERMISSION_DENIED for a role the method does not admit.
    public func authorize(_ peer: PeerIdentity, for method: MethodDescriptor) -> Result<Caller?, RPCError> {
        let caller = current.withLock { $0.caller(for: peer) }
        switch method.access {
        case .anyVerifiedPeer:
            return .success(caller)
        case .anyRole, .roles:
            guard let caller else {
                return .failure(RPCError(.unauthenticated, "identity \(peer) is not in this service's ACL"))
            }
            if case .roles(let roles) = method.access, !roles.contains(caller.role) {
                let allowed = roles.map(\.rawValue).sorted().joined(separator: ", ")
                return .failure(RPCError(.permissionDenied, "role \(caller.role.rawValue) may not call \(method.fullName) (allowed: \(allowed))"))
            }
            return .success(caller)
        }
    }
}

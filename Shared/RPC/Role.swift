/// What a caller may do, as the ACL file assigns it to a certificate identity.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// The town office: sets up the campaign, approves, sees everything.
    case admin
    /// A unit clerk: acts only inside their unit scope.
    case clerk
    case trainer
    /// Duty coordinators (team leaders).
    case coordinator
    case finance
    /// Reads, never writes.
    case auditor
    /// Another Pingan service.
    case service
}

/// Who may call a method.
public enum Access: Sendable, Hashable {
    /// Any peer with a certificate the CA signed, even one the ACL does not list (health checks).
    case anyVerifiedPeer
    /// Any identity the ACL lists, whatever its role.
    case anyRole
    /// Only these roles.
    case roles(Set<Role>)

    /// Shorthand: `.only(.admin, .clerk)`.
    public static func only(_ roles: Role...) -> Access {
        .roles(Set(roles))
    }
}

/// The authenticated caller of a call: its certificate identity and what the ACL grants it.
public struct Caller: Sendable, Hashable {
    public var role: Role
    /// The org unit a clerk (or other scoped role) may see and change, e.g. "JC-017"; nil = all.
    public var unitScope: String?
    /// The ACL entry that matched, e.g. "uri:spiffe://pingan/user/clerk-jc017".
    public var matchedBy: String

    public init(role: Role, unitScope: String? = nil, matchedBy: String) {
        self.role = role
        self.unitScope = unitScope
        self.matchedBy = matchedBy
    }
}

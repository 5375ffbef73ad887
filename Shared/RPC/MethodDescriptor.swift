/// Names one RPC method: `/pingan.registry.v1.Registry/GetVolunteer`.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// How many messages flow each way.
    public enum Kind: Sendable, Hashable {
        case unary
        case serverStreaming
        case clientStreaming
    }

    /// Fully qualified service, e.g. `pingan.health.v1.Health`.
    public var service: String
    /// Method name within the service, e.g. `Check`.
    public var method: String
    public var kind: Kind
    /// True if applying the call twice has the same effect as once, so it may be retried.
    public var isIdempotent: Bool
    /// Who may call it; checked against the ACL before the handler runs.
    public var access: Access

    public init(service: String, method: String, kind: Kind = .unary, isIdempotent: Bool = false, access: Access) {
        self.service = service
        self.method = method
        self.kind = kind
        self.isIdempotent = isIdempotent
        self.access = access
    }

    /// The name on the wire: `/service/method`.
    public var fullName: String { "/\(service)/\(method)" }

    public var description: String { fullName }
}

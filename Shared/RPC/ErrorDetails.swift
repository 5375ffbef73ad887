/// Machine-readable details of a failed call: a stable reason and, for refusals by the rules,
/// every field that broke one. Plain values; the wire form is `pingan.rpc.v1.StatusDetails`.
public struct ErrorDetails: Sendable, Hashable {
    /// A stable, upper-case code for the failure as a whole, e.g. `ENROLLMENT_REFUSED`.
    public var reason: String
    public var fieldViolations: [FieldViolation]
    /// Violations not listed because the status would have been larger than a frame may be.
    public var omittedViolations: Int
    /// When set, the caller may retry after this long.
    public var retryAfter: Duration?

    public init(reason: String = "", fieldViolations: [FieldViolation] = [], omittedViolations: Int = 0, retryAfter: Duration? = nil) {
        self.reason = reason
        self.fieldViolations = fieldViolations
        self.omittedViolations = omittedViolations
        self.retryAfter = retryAfter
    }

    /// One field of the request that broke a rule: the proto's field path (snake case), the
    /// rule code and why.
    public struct FieldViolation: Sendable, Hashable {
        public var field: String
        public var rule: String
        public var description: String

        public init(field: String, rule: String, description: String) {
            self.field = field
            self.rule = rule
            self.description = description
        }
    }
}

/// A change the rules refuse, with every broken rule; nothing was written. Stores and domains
/// throw it; the RPC layer answers it with the status its rules' kinds decide.
public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was refused, for the message: "enrollment", "batch zzb-1".
    public var subject: String
    public var rules: [BrokenRule]

    public init(_ subject: String, _ rules: [BrokenRule]) {
        self.subject = subject
        self.rules = rules
    }

    public init(_ subject: String, _ rule: BrokenRule) {
        self.init(subject, [rule])
    }

    /// The kind that decides the answer when rules of several kinds are broken: a caller who
    /// may not act learns nothing more; something missing comes before what is wrong with the
    /// rest of the input; bad input before a duplicate; and a state conflict last, since fixing
    /// anything else may change it.
    public var kind: RuleKind {
        let kinds = Set(rules.map(\.kind))
        return [RuleKind.forbidden, .missing, .invalid, .duplicate, .state].first(where: kinds.contains) ?? .invalid
    }

    /// `enrollment refused: sessionId: session 9 is full`.
    public var description: String {
        "\(subject) refused: " + rules.map(\.description).joined(separator: "; ")
    }

    /// An idempotency key reused for a different request.
    public static func idempotencyKeyReused(_ key: String) -> Refusal {
        Refusal("request", BrokenRule(field: "metadata.idempotency-key", rule: "IDEMPOTENCY_KEY_REUSED", kind: .state,
                                      message: "'\(key)' was already used for a different request"))
    }
}

import PinganRules

extension Refusal: RPCErrorConvertible {
    /// Every broken rule as a field violation (proto field names), the code from the rules'
    /// kinds, and a message that names the first few.
    public var rpcError: RPCError {
        let violations = rules.map {
            ErrorDetails.FieldViolation(field: RPCError.snakeCase(String($0.field.prefix(Self.longestText))), rule: $0.rule,
                                        description: String($0.message.prefix(Self.longestText)))
        }
        let shown = violations.prefix(Self.rulesInMessage).map { "\($0.field): \($0.description)" }.joined(separator: "; ")
        let more = violations.count > Self.rulesInMessage ? " (and \(violations.count - Self.rulesInMessage) more in the details)" : ""
        return RPCError(RPCError.Code(kind), "\(subject) refused: \(shown)\(more)",
                        details: ErrorDetails(reason: reason, fieldViolations: violations))
    }

    /// How many broken rules the message names; the details carry all of them.
    static let rulesInMessage = 5
    /// The longest field or description a violation carries: a rule's message may quote what
    /// the caller sent, and a peer must not get its megabytes echoed back (or logged).
    static let longestText = 1_000

    /// `ENROLLMENT_REFUSED`, from the subject.
    var reason: String {
        String(subject.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }) + "_REFUSED"
    }
}

extension RPCError.Code {
    /// The status that answers a refusal of this kind.
    public init(_ kind: RuleKind) {
        self = switch kind {
        case .invalid: .invalidArgument
        case .missing: .notFound
        case .duplicate: .alreadyExists
        case .state: .failedPrecondition
        case .forbidden: .permissionDenied
        }
    }
}

extension RPCError {
    /// `rows[3].idNumber` -> `rows[3].id_number`: the proto's field names.
    public static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase {
                text += "_" + character.lowercased()
            } else {
                text.append(character)
            }
        }
    }
}

import PinganProtocolContracts

/// One broken rule of a request, as the domain reports it: the field (a camel-case path such as
/// `rows[3].idNumber`), a stable rule code, and why. Services' domains use it as their own
/// vocabulary, so a refusal travels to the caller unchanged.
public struct BrokenRule: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var rule: String
    public var message: String

    public init(field: String, rule: String, message: String) {
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// `applicant.birthDate: age 66 is above 65 and no waiver was given`.
    public var description: String { "\(field): \(message)" }
}

extension RPCError {
    /// A refusal by the rules: the message names every field (in the proto's snake case) and
    /// why, and the details carry each as a field violation with its rule code.
    public static func refusal(_ what: String, code: Code, reason: String, rules: [BrokenRule]) -> RPCError {
        var details = Pingan_Rpc_V1_StatusDetails()
        details.reason = reason
        details.fieldViolations = rules.map { broken in
            var violation = Pingan_Rpc_V1_FieldViolation()
            violation.field = snakeCase(broken.field)
            violation.rule = broken.rule
            violation.description_p = broken.message
            return violation
        }
        let summary = rules.map { "\(snakeCase($0.field)): \($0.message)" }.joined(separator: "; ")
        return RPCError(code, "\(what) refused: \(summary)", details: details)
    }

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

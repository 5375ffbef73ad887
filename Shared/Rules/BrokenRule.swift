/// One broken rule of a request, as a domain reports it: the field (a camel-case path such as
/// `rows[3].idNumber`), a stable rule code, what kind of rule it is, and why. Every domain uses
/// this one value, so a refusal travels to the caller unchanged.
public struct BrokenRule: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var rule: String
    public var kind: RuleKind
    public var message: String

    public init(field: String, rule: String, kind: RuleKind = .invalid, message: String) {
        self.field = field
        self.rule = rule
        self.kind = kind
        self.message = message
    }

    /// A rule broken by row `row` (counted from 1) of a batch or sheet: field `rows[row].field`.
    public static func row(_ row: Int, _ field: String, rule: String, kind: RuleKind = .invalid, message: String) -> BrokenRule {
        BrokenRule(field: "rows[\(row)].\(field)", rule: rule, kind: kind, message: message)
    }

    /// `applicant.birthDate: age 66 is above 65 and no waiver was given`.
    public var description: String { "\(field): \(message)" }
}

/// What kind of rule was broken; it decides the status a refusal is answered with.
public enum RuleKind: Sendable, Hashable, CaseIterable {
    /// The request itself is wrong, whatever the state: fix the input (INVALID_ARGUMENT).
    case invalid
    /// It names something that does not exist, or not in the caller's scope (NOT_FOUND).
    case missing
    /// It would create something that already exists (ALREADY_EXISTS).
    case duplicate
    /// The current state does not allow it; it may succeed once the state changes (FAILED_PRECONDITION).
    case state
    /// The caller may not do this, however it is asked (PERMISSION_DENIED).
    case forbidden
}

extension BrokenRule {
    /// The row a `rows[N].…` rule names, or nil for a rule of the request as a whole.
    public var rowNumber: Int? {
        guard field.hasPrefix("rows["), let close = field.firstIndex(of: "]") else { return nil }
        return Int(field[field.index(field.startIndex, offsetBy: 5)..<close])
    }

    /// Rules of the whole request first, then by row and field: the order a person fixes them in.
    public static func inRowOrder(_ lhs: BrokenRule, _ rhs: BrokenRule) -> Bool {
        (lhs.rowNumber ?? 0, lhs.field) < (rhs.rowNumber ?? 0, rhs.field)
    }
}

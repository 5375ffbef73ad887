import PinganRules
/// Where a person stands in the corps. Public applicants go applied -> committee_accepted ->
/// active; directed registrations start active.
public enum VolunteerStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case applied
    case committeeAccepted = "committee_accepted"
    case active
    case suspended
    case withdrawn
    case rejected
}

/// A decision about a volunteer or applicant. Those that refuse or remove someone must say why.
public enum StatusDecision: Sendable, Hashable {
    case committeeAccept
    case committeeReject(reason: String)
    case officeApprove
    case officeReject(reason: String)
    case suspend(reason: String)
    case reinstate
    case withdraw(reason: String)

    var name: String {
        switch self {
        case .committeeAccept: "accepting at the committee"
        case .committeeReject: "rejecting at the committee"
        case .officeApprove: "approving at the town office"
        case .officeReject: "rejecting at the town office"
        case .suspend: "suspending"
        case .reinstate: "reinstating"
        case .withdraw: "withdrawing"
        }
    }

    var reason: String? {
        switch self {
        case .committeeReject(let reason), .officeReject(let reason), .suspend(let reason), .withdraw(let reason): reason
        case .committeeAccept, .officeApprove, .reinstate: nil
        }
    }
}

/// Who is deciding, as far as the rules care.
public enum Decider: Sendable, Hashable {
    /// The town office.
    case office
    /// The clerk of the volunteer's own unit (scope is checked before this).
    case unitClerk
}

/// The rules of status changes, as plain functions: which decision applies to which status,
/// and who may take it.
public enum StatusTransitions {
    public static func apply(_ decision: StatusDecision, to status: VolunteerStatus, by decider: Decider) -> Result<VolunteerStatus, BrokenRule> {
        if let reason = decision.reason, reason.allSatisfy(\.isWhitespace) {
            return .failure(BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "\(decision.name) needs a reason"))
        }
        let allowed: (from: Set<VolunteerStatus>, to: VolunteerStatus, officeOnly: Bool)
        switch decision {
        case .committeeAccept: allowed = ([.applied], .committeeAccepted, false)
        case .committeeReject: allowed = ([.applied], .rejected, false)
        case .officeApprove: allowed = ([.committeeAccepted], .active, true)
        case .officeReject: allowed = ([.committeeAccepted], .rejected, true)
        case .suspend: allowed = ([.active], .suspended, false)
        case .reinstate: allowed = ([.suspended], .active, true)
        case .withdraw: allowed = ([.applied, .committeeAccepted, .active, .suspended], .withdrawn, false)
        }
        if allowed.officeOnly, decider != .office {
            return .failure(BrokenRule(field: "decision", rule: "OFFICE_ONLY", kind: .forbidden, message: "\(decision.name) is for the town office only"))
        }
        guard allowed.from.contains(status) else {
            return .failure(BrokenRule(field: "decision", rule: "WRONG_STATUS",
                kind: .state, message: "\(decision.name) needs a volunteer who is \(allowed.from.map(\.rawValue).sorted().joined(separator: " or ")), this one is \(status.rawValue)"))
        }
        return .success(allowed.to)
    }
}

import PinganCampaign
import PinganRules

/// A neighbourhood dispute volunteers help mediate (the town plan's fifth service project).
public enum DisputeKind: String, Sendable, Hashable, CaseIterable {
    case neighbour, family, property, labour, other
}

/// Where a dispute stands: open, being mediated, or closed - settled, or referred to legal
/// services when mediation cannot settle it.
public enum DisputeStatus: String, Sendable, Hashable, CaseIterable {
    case open, mediating, settled, referred

    public var isClosed: Bool { self == .settled || self == .referred }
}

/// What happens to a dispute: a mediation session, a settlement, a referral.
public enum DisputeAction: String, Sendable, Hashable, CaseIterable {
    case mediate, settle, refer

    /// The status the action leads to.
    public var status: DisputeStatus {
        switch self {
        case .mediate: .mediating
        case .settle: .settled
        case .refer: .referred
        }
    }
}

/// The rules of a dispute case: who the parties are, and which step may follow which.
public enum DisputeWorkflow {
    public static let maximumParties = 10

    /// Every rule the opening breaks: two to ten parties named (1-50 characters each), a
    /// summary of at most 1,000 characters.
    public static func openingRules(parties: [String], summary: String) -> [BrokenRule] {
        var rules: [BrokenRule] = []
        if !(2...maximumParties).contains(parties.count) {
            rules.append(BrokenRule(field: "parties", rule: "PARTIES", message: "a dispute has 2-\(maximumParties) parties, got \(parties.count)"))
        }
        for (index, party) in parties.enumerated() where party.trimmed.isEmpty || party.count > 50 {
            rules.append(BrokenRule(field: "parties[\(index)]", rule: "PARTY_NAME", message: "must be 1-50 characters"))
        }
        if summary.trimmed.isEmpty || summary.count > 1000 {
            rules.append(BrokenRule(field: "summary", rule: "SUMMARY", message: "must be 1-1,000 characters"))
        }
        return rules
    }

    /// The rule a step breaks, if any: a closed case takes no step; a settlement needs its
    /// outcome and a referral the legal service it goes to; no step before the case opened.
    public static func stepRule(from status: DisputeStatus, _ action: DisputeAction, note: String, referredTo: String,
                                on day: CalendarDay, openedOn: CalendarDay) -> BrokenRule? {
        if status.isClosed {
            return BrokenRule(field: "action", rule: "DISPUTE_CLOSED", kind: .state,
                              message: "the dispute is \(status.rawValue); a closed case takes no further step")
        }
        if day < openedOn { return BrokenRule(field: "on", rule: "BEFORE_OPENING", message: "\(day) is before the case opened on \(openedOn)") }
        switch action {
        case .mediate where note.trimmed.isEmpty:
            return BrokenRule(field: "note", rule: "NOTE_REQUIRED", message: "a mediation session is recorded with what was said and agreed")
        case .settle where note.trimmed.isEmpty:
            return BrokenRule(field: "note", rule: "OUTCOME_REQUIRED", message: "a settlement states its outcome")
        case .refer where referredTo.trimmed.isEmpty:
            return BrokenRule(field: "referredTo", rule: "REFERRAL_REQUIRED", message: "a referral names the legal service it goes to")
        default:
            break
        }
        if note.count > 1000 { return BrokenRule(field: "note", rule: "NOTE", message: "at most 1,000 characters") }
        return nil
    }
}

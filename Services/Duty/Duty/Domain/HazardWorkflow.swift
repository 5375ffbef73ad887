import PinganCampaign
import PinganRules

/// Where a hazard report stands.
public enum HazardStatus: String, Sendable, Hashable, CaseIterable {
    case reported, referred, rectifying, rectified, verified

    /// The steps allowed from here: straight on, one at a time.
    public var next: [HazardStatus] {
        switch self {
        case .reported: [.referred]
        case .referred: [.rectifying]
        case .rectifying: [.rectified]
        case .rectified: [.verified]
        case .verified: []
        }
    }

    /// Still to be dealt with: neither rectified nor verified.
    public var isOpen: Bool { self == .reported || self == .referred || self == .rectifying }
}

/// Public order or fire.
public enum HazardKind: String, Sendable, Hashable, CaseIterable {
    case publicOrder = "public_order"
    case fire
}

/// A step of a hazard's handling, as asked for.
public struct HazardStep: Sendable, Hashable {
    public var to: String
    public var department: String
    public var dueOn: String
    public var on: String

    public init(to: String, department: String = "", dueOn: String = "", on: String) {
        self.to = to
        self.department = department
        self.dueOn = dueOn
        self.on = on
    }
}

/// The hazard workflow as plain rules.
public enum HazardWorkflow {
    /// Checks `step` from `status` (reported on `reportedOn`): the new status, the day it happened,
    /// and for a referral the department and due date - or every rule it breaks, an illegal
    /// move naming the allowed ones.
    public static func apply(_ step: HazardStep, from status: HazardStatus, reportedOn: CalendarDay)
        -> Result<(status: HazardStatus, on: CalendarDay, department: String?, dueOn: CalendarDay?), Refusal> {
        var rules: [BrokenRule] = []
        let target = HazardStatus(rawValue: step.to)
        if let target, !status.next.contains(target) {
            let allowed = status.next.isEmpty ? "nothing: it is verified" : status.next.map(\.rawValue).joined(separator: " or ")
            rules.append(BrokenRule(field: "to", rule: "ILLEGAL_TRANSITION", kind: .state,
                                    message: "a \(status.rawValue) hazard can move to \(allowed), not \(step.to)"))
        } else if target == nil {
            rules.append(BrokenRule(field: "to", rule: "UNKNOWN_STATUS",
                                    message: "'\(step.to.prefix(32))' is not one of \(HazardStatus.allCases.dropFirst().map(\.rawValue).joined(separator: ", "))"))
        }
        let day = CalendarDay(iso: step.on)
        if day == nil {
            rules.append(BrokenRule(field: "on", rule: "DATE", message: "'\(step.on.prefix(32))' is not a date (YYYY-MM-DD)"))
        } else if let day, day < reportedOn {
            rules.append(BrokenRule(field: "on", rule: "BEFORE_REPORT", message: "\(day) is before the hazard was reported (\(reportedOn))"))
        }
        var due: CalendarDay?
        if target == .referred {
            if step.department.trimmed.isEmpty {
                rules.append(BrokenRule(field: "department", rule: "DEPARTMENT_REQUIRED", message: "a referral names the department responsible"))
            }
            due = CalendarDay(iso: step.dueOn)
            if due == nil {
                rules.append(BrokenRule(field: "dueOn", rule: "DUE_DATE_REQUIRED", message: "a referral has a due date (YYYY-MM-DD)"))
            } else if let due, let day, due < day {
                rules.append(BrokenRule(field: "dueOn", rule: "DUE_BEFORE_REFERRAL", message: "\(due) is before the referral on \(day)"))
            }
        }
        guard rules.isEmpty, let target, let day else { return .failure(Refusal("hazard step", rules)) }
        return .success((target, day, target == .referred ? step.department.trimmed : nil, due))
    }

    /// Open and past its due date on `day`.
    public static func isOverdue(status: HazardStatus, dueOn: CalendarDay?, on day: CalendarDay) -> Bool {
        guard let dueOn, status.isOpen else { return false }
        return day > dueOn
    }
}

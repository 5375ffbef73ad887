import PinganRules

/// Who pays: the town's finance, each village, units for their own teams' basics.
public enum FunderKind: String, Sendable, Hashable, CaseIterable {
    case town, village, unit
}

/// What a budget line pays for (the town plan's "Funding").
public enum BudgetCategory: String, Sendable, Hashable, CaseIterable {
    case training, equipment, office
    case managerSubsidy = "manager_subsidy"
    case activitySubsidy = "activity_subsidy"
    case reward
    case villagePatrol = "village_patrol"
}

/// The kinds of expense standard, and what each is paid per.
public enum RateKind: String, Sendable, Hashable, CaseIterable {
    /// Per activity recorded.
    case activitySubsidy = "activity_subsidy"
    /// Transport and meals, per shift served.
    case transportMeal = "transport_meal"
    /// Per manager per month.
    case managerSubsidy = "manager_subsidy"
    /// Per trainee of a training session.
    case trainingCost = "training_cost"
}

/// The ledger's account codes, one scheme for every caller.
public enum LedgerCodes {
    public static func funder(_ code: String) -> String { "FUNDER/\(code)" }
    public static func line(funder: String, year: Int, _ category: BudgetCategory) -> String { "LINE/\(funder)/\(year)/\(category.rawValue)" }
    public static func expense(_ category: BudgetCategory) -> String { "EXPENSE/\(category.rawValue)" }

    /// Every rule a funder or budget code breaks: 1-32 characters of A-Z, 0-9 and "-".
    public static func codeRules(_ code: String, field: String) -> [BrokenRule] {
        guard (1...32).contains(code.count), code.allSatisfy({ ($0.isASCII && ($0.isUppercase || $0.isNumber)) || $0 == "-" }) else {
            return [BrokenRule(field: field, rule: "CODE", message: "'\(code.prefix(40))' must be 1-32 characters of A-Z, 0-9 and -")]
        }
        return []
    }
}

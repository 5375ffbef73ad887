/// Active volunteers counted by category and by sub-category code.
public struct EnrolmentCounts: Sendable, Hashable {
    public var byCategory: [Int: Int]
    public var bySubcategory: [String: Int]

    public init(byCategory: [Int: Int] = [:], bySubcategory: [String: Int] = [:]) {
        self.byCategory = byCategory
        self.bySubcategory = bySubcategory
    }
}

/// Enrolled against quota, per category and sub-category and in total.
public struct RecruitmentProgress: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var number: Int
        public var name: String
        public var mode: RecruitmentMode
        public var quota: Int
        public var enrolled: Int
        public var subcategories: [SubLine]
    }

    public struct SubLine: Sendable, Hashable {
        public var code: String
        public var name: String
        public var quota: Int
        public var enrolled: Int
    }

    public var lines: [Line]
    public var totalQuota: Int { lines.reduce(0) { $0 + $1.quota } }
    public var totalEnrolled: Int { lines.reduce(0) { $0 + $1.enrolled } }

    /// Lays the counts against the plan; categories and sub-categories the plan does not name
    /// are left out (they cannot exist: registration checks them). For one unit (`unitKind`
    /// given) the quotas are the unit's own: 0 where the plan sets none per unit.
    public init(plan: RecruitmentPlan, counts: EnrolmentCounts, unitKind: OrgUnit.Kind? = nil) {
        let unitQuotas = unitKind.map { plan.unitQuotas(for: $0) }
        lines = plan.categories.map { category in
            Line(number: category.number, name: category.name, mode: category.mode,
                 quota: unitQuotas.map { $0[category.number] ?? 0 } ?? category.quota,
                 enrolled: counts.byCategory[category.number] ?? 0,
                 subcategories: category.subcategories.map {
                     SubLine(code: $0.code, name: $0.name, quota: unitQuotas == nil ? $0.quota : 0,
                             enrolled: counts.bySubcategory[$0.code] ?? 0)
                 })
        }
    }
}

/// One unit's recruitment: all its active volunteers, and those counted against its own quota.
public struct UnitProgress: Sendable, Hashable {
    public var unit: OrgUnit
    public var enrolled: Int
    public var quota: Int
    public var quotaEnrolled: Int

    /// A line per unit that has a quota of its own or active volunteers, in code order.
    /// `counts` holds active volunteers by unit code, then category.
    public static func lines(plan: RecruitmentPlan, units: [OrgUnit], counts: [String: [Int: Int]]) -> [UnitProgress] {
        units.sorted { $0.code < $1.code }.compactMap { unit in
            let quotas = plan.unitQuotas(for: unit.kind)
            let byCategory = counts[unit.code] ?? [:]
            let line = UnitProgress(unit: unit, enrolled: byCategory.values.reduce(0, +), quota: quotas.values.reduce(0, +),
                                    quotaEnrolled: quotas.keys.reduce(0) { $0 + (byCategory[$1] ?? 0) })
            return line.quota > 0 || line.enrolled > 0 ? line : nil
        }
    }
}

extension RecruitmentPlan {
    /// The quotas a single unit of `kind` recruits toward, by category (building guards: 20 per
    /// residential committee).
    public func unitQuotas(for kind: OrgUnit.Kind) -> [Int: Int] {
        guard kind == .residentialCommittee else { return [:] }
        var quotas: [Int: Int] = [:]
        for category in categories {
            if let quota = category.quotaPerResidentialCommittee { quotas[category.number] = quota }
        }
        return quotas
    }
}

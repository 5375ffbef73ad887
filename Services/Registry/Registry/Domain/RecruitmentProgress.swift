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
    /// are left out (they cannot exist: registration checks them).
    public init(plan: RecruitmentPlan, counts: EnrolmentCounts) {
        lines = plan.categories.map { category in
            Line(number: category.number, name: category.name, mode: category.mode, quota: category.quota,
                 enrolled: counts.byCategory[category.number] ?? 0,
                 subcategories: category.subcategories.map {
                     SubLine(code: $0.code, name: $0.name, quota: $0.quota, enrolled: counts.bySubcategory[$0.code] ?? 0)
                 })
        }
    }
}

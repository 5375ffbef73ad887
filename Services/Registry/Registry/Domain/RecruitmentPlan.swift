/// How a category's people join: registered in bulk by their department, or applying one by one.
public enum RecruitmentMode: String, Sendable, Hashable, Codable {
    /// "Collective mobilisation, organised registration" (categories 1-8).
    case directed
    /// Individuals apply at their residential committee (category 9).
    case `public`
}

/// One recruitment category of a campaign, with its quota and optional sub-categories.
public struct RecruitmentCategory: Sendable, Hashable, Codable {
    public var number: Int
    public var name: String
    public var mode: RecruitmentMode
    public var quota: Int
    public var subcategories: [Subcategory]
    /// For public recruitment: the quota each residential committee recruits toward.
    public var quotaPerResidentialCommittee: Int?

    public init(number: Int, name: String, mode: RecruitmentMode, quota: Int, subcategories: [Subcategory] = [],
                quotaPerResidentialCommittee: Int? = nil) {
        self.number = number
        self.name = name
        self.mode = mode
        self.quota = quota
        self.subcategories = subcategories
        self.quotaPerResidentialCommittee = quotaPerResidentialCommittee
    }

    public struct Subcategory: Sendable, Hashable, Codable {
        public var code: String
        public var name: String
        public var quota: Int

        public init(code: String, name: String, quota: Int) {
            self.code = code
            self.name = name
            self.quota = quota
        }
    }
}

/// A campaign's recruitment categories and quotas: data the town office sets, not code.
public struct RecruitmentPlan: Sendable, Hashable, Codable {
    public var categories: [RecruitmentCategory]

    public init(categories: [RecruitmentCategory]) {
        self.categories = categories
    }

    public var totalQuota: Int { categories.reduce(0) { $0 + $1.quota } }

    /// Sub-category quotas must add up to their category's; returns every mismatch.
    public func inconsistencies() -> [String] {
        categories.compactMap { category in
            guard !category.subcategories.isEmpty else { return nil }
            let sum = category.subcategories.reduce(0) { $0 + $1.quota }
            return sum == category.quota ? nil
                : "category \(category.number) (\(category.name)): sub-category quotas add up to \(sum), not \(category.quota)"
        }
    }
}

extension RecruitmentPlan {
    /// The Shanghai town's World Expo 2010 plan (seed/town-plan.en.md): 9 categories, 6,249 people.
    public static let townPlan2010 = RecruitmentPlan(categories: [
        .init(number: 1, name: "镇机关及事业单位工作人员", mode: .directed, quota: 229, subcategories: []),
        .init(number: 2, name: "居委会、村委会工作人员", mode: .directed, quota: 349, subcategories: [
            .init(code: "2.1", name: "居委会工作人员", quota: 285),
            .init(code: "2.2", name: "村委会干部及工作人员", quota: 50),
            .init(code: "2.3", name: "村民小组长", quota: 14),
        ]),
        .init(number: 3, name: "政府购买服务岗位人员", mode: .directed, quota: 1205, subcategories: [
            .init(code: "3.01", name: "社区保安", quota: 285),
            .init(code: "3.02", name: "社区协管员", quota: 140),
            .init(code: "3.03", name: "社区公共保洁", quota: 107),
            .init(code: "3.04", name: "菜场协管员", quota: 30),
            .init(code: "3.05", name: "房屋协管员", quota: 21),
            .init(code: "3.06", name: "市容协管员", quota: 37),
            .init(code: "3.07", name: "绿化养护", quota: 97),
            .init(code: "3.08", name: "河道保洁", quota: 74),
            .init(code: "3.09", name: "助老员", quota: 84),
            .init(code: "3.10", name: "助残员", quota: 83),
            .init(code: "3.11", name: "就业援助员", quota: 48),
            .init(code: "3.12", name: "交通协管员等“万人就业”项目", quota: 199),
        ]),
        .init(number: 4, name: "物业、保安公司及商场超市保安", mode: .directed, quota: 2289, subcategories: []),
        .init(number: 5, name: "环卫工人", mode: .directed, quota: 650, subcategories: []),
        .init(number: 6, name: "城管监察人员", mode: .directed, quota: 140, subcategories: []),
        .init(number: 7, name: "护村队员", mode: .directed, quota: 70, subcategories: []),
        .init(number: 8, name: "重点单位职工", mode: .directed, quota: 317, subcategories: []),
        .init(number: 9, name: "护楼志愿者", mode: .public, quota: 1000, subcategories: [], quotaPerResidentialCommittee: 20),
    ])
}

import PinganCampaign

/// What the registry needs of a campaign: its calendar, recruitment categories and quotas, and
/// the eligibility rules. One flat document, shared with the other services' parts:
/// `{"name", "phases", "categories", "eligibility", ...}`.
public struct Campaign: Sendable, Hashable, Codable {
    public var calendar: CampaignCalendar
    public var plan: RecruitmentPlan
    public var eligibility: EligibilityRules

    public init(calendar: CampaignCalendar, plan: RecruitmentPlan, eligibility: EligibilityRules) {
        self.calendar = calendar
        self.plan = plan
        self.eligibility = eligibility
    }

    private enum CodingKeys: String, CodingKey {
        case eligibility
    }

    public init(from decoder: any Decoder) throws {
        calendar = try CampaignCalendar(from: decoder)
        plan = try RecruitmentPlan(from: decoder)
        eligibility = try decoder.container(keyedBy: CodingKeys.self).decode(EligibilityRules.self, forKey: .eligibility)
    }

    public func encode(to encoder: any Encoder) throws {
        try calendar.encode(to: encoder)
        try plan.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eligibility, forKey: .eligibility)
    }

    /// Every reason the campaign cannot be used.
    public func problems() -> [String] {
        var problems = calendar.problems() + plan.inconsistencies()
        if eligibility.minimumAge > eligibility.maximumAge {
            problems.append("eligibility.minimum_age: \(eligibility.minimumAge) is above maximum_age \(eligibility.maximumAge)")
        }
        var numbers: Set<Int> = []
        for category in plan.categories where !numbers.insert(category.number).inserted {
            problems.append("categories: number \(category.number) is used twice")
        }
        return problems
    }

    /// Reads and checks a campaign file.
    public static func load(from path: String) throws -> Campaign {
        let campaign = try CampaignFile.load(Campaign.self, from: path)
        let problems = campaign.problems()
        guard problems.isEmpty else { throw CampaignFileError(path: path, message: problems.joined(separator: "; ")) }
        return campaign
    }
}

extension Campaign {
    /// The Shanghai town's World Expo 2010 campaign (seed/town-plan.en.md), the default when no
    /// campaign file is configured; `deploy/campaigns/expo-2010.json` is the same as a file.
    public static let expo2010 = Campaign(
        calendar: .expo2010,
        plan: .townPlan2010,
        eligibility: .townPlan2010)

}

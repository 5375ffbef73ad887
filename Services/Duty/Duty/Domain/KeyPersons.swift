import PinganCampaign
import PinganRules

/// Why someone is a key person (重点人员) whom volunteers help with education, transformation
/// and monitoring, in the town plan's sixth service project.
public enum KeyPersonCategory: String, Sendable, Hashable, CaseIterable {
    case communityCorrection = "community_correction"
    case postRelease = "post_release"
    case drugRehabilitation = "drug_rehabilitation"
    case mentalHealth = "mental_health"
    case other
}

/// What a volunteer did for a key person.
public enum AssistanceKind: String, Sendable, Hashable, CaseIterable {
    case visit, talk, help, report
}

/// A key person as asked for. Name and situation are personal data: sealed at rest.
public struct KeyPersonDraft: Sendable, Hashable {
    public var unitCode: String
    public var category: String
    public var name: String
    public var situation: String
    /// The volunteer who helps them, if one is assigned.
    public var helperVolunteerID: Int64?

    public init(unitCode: String, category: String, name: String, situation: String, helperVolunteerID: Int64?) {
        self.unitCode = unitCode
        self.category = category
        self.name = name
        self.situation = situation
        self.helperVolunteerID = helperVolunteerID
    }

    /// The category, or every rule broken: a unit, a known category, a name of 1-50
    /// characters, a situation of at most 500.
    public func validated() -> Result<KeyPersonCategory, Refusal> {
        var rules: [BrokenRule] = []
        if unitCode.trimmed.isEmpty { rules.append(BrokenRule(field: "unitCode", rule: "UNIT_REQUIRED", message: "must not be empty")) }
        let category = KeyPersonCategory(rawValue: category)
        if category == nil {
            rules.append(BrokenRule(field: "category", rule: "KEY_PERSON_CATEGORY",
                                    message: "'\(self.category.prefix(32))' is not one of \(KeyPersonCategory.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if name.trimmed.isEmpty || name.count > 50 { rules.append(BrokenRule(field: "name", rule: "NAME", message: "must be 1-50 characters")) }
        if situation.count > 500 { rules.append(BrokenRule(field: "situation", rule: "SITUATION", message: "at most 500 characters")) }
        guard rules.isEmpty, let category else { return .failure(Refusal("key person", rules)) }
        return .success(category)
    }
}

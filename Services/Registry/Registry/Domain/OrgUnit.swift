/// A node of the town's organisation tree: the town, its departments, residential and village
/// committees, village groups, enterprises and key units.
public struct OrgUnit: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case town
        case department
        case residentialCommittee = "residential_committee"
        case villageCommittee = "village_committee"
        case villageGroup = "village_group"
        case enterprise
        case keyUnit = "key_unit"
    }

    /// Stable code, e.g. "JC-017".
    public var code: String
    public var name: String
    public var kind: Kind
    /// Nil only for the town itself.
    public var parentCode: String?
    /// The person who manages the unit's volunteer team.
    public var responsible: String?

    public init(code: String, name: String, kind: Kind, parentCode: String?, responsible: String? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.responsible = responsible
    }
}

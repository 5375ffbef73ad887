import PinganRules

/// The six service projects of the town plan: what a post, a shift or an activity is for.
public enum ServiceProject: String, Sendable, Hashable, CaseIterable, Codable {
    case publicity
    case patrol
    case stationGuarding = "station_guarding"
    case hazardInformation = "hazard_information"
    case disputeMediation = "dispute_mediation"
    case keyPersonAssistance = "key_person_assistance"

    /// The plan's name for it.
    public var name: String {
        switch self {
        case .publicity: "世博安保宣传 Expo security publicity"
        case .patrol: "社区（单位、场所）巡逻 Community patrol"
        case .stationGuarding: "站点守护 Station guarding"
        case .hazardInformation: "治安消防隐患信息 Public-order and fire-hazard information"
        case .disputeMediation: "矛盾纠纷调解 Dispute mediation"
        case .keyPersonAssistance: "重点人员帮教 Key-person assistance"
        }
    }

    /// `code` as a project, or the rule it breaks for `field`.
    public static func parse(_ code: String, field: String) -> Result<ServiceProject, BrokenRule> {
        guard let project = ServiceProject(rawValue: code) else {
            return .failure(BrokenRule(field: field, rule: "UNKNOWN_PROJECT",
                                      message: "'\(code.prefix(64))' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        return .success(project)
    }
}

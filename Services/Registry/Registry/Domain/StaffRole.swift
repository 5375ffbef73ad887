import PinganRules
/// A role in the volunteer service office (seed: a director, deputies, an office of 5 with one
/// in charge) or a unit's team manager ("every unit names one capable person").
public enum StaffRole: String, Sendable, Hashable, CaseIterable {
    case director
    case deputyDirector = "deputy_director"
    case officeInCharge = "office_in_charge"
    case officeStaff = "office_staff"
    case teamManager = "team_manager"

    /// Roles of the town office itself, held at the town unit.
    var isOfficeRole: Bool { self != .teamManager }

    /// Roles one person at most holds at a time (per town, or per unit for team managers).
    var isSingular: Bool { self == .director || self == .officeInCharge || self == .teamManager }
}

/// One person holding a staff role at a unit, current until ended.
public struct StaffAssignment: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String
    public var personName: String
    public var role: StaffRole
    public var assignedAt: String
    public var endedAt: String?
    public var endReason: String?
}

public enum StaffRules {
    /// Problems with giving `personName` the `role` at a unit of `unitKind`, next to the current
    /// assignments of that unit.
    public static func check(personName: String, role: StaffRole, unitKind: OrgUnit.Kind, current: [StaffAssignment]) -> [BrokenRule] {
        var violations: [BrokenRule] = []
        let name = personName.trimmed
        if name.isEmpty || name.count > 40 {
            violations.append(BrokenRule(field: "personName", rule: "PERSON_NAME", message: "must be 1-40 characters"))
        }
        if role.isOfficeRole, unitKind != .town {
            violations.append(BrokenRule(field: "role", rule: "OFFICE_ROLE_AT_TOWN",
                message: "\(role.rawValue) is a role of the town office; assign it at the town unit, not a \(unitKind.rawValue)"))
        }
        if role.isSingular, let holder = current.first(where: { $0.role == role }) {
            violations.append(BrokenRule(field: "role", rule: "ROLE_TAKEN",
                kind: .state, message: "\(role.rawValue) is held by \(holder.personName) (assignment \(holder.id)); end that first"))
        } else if current.contains(where: { $0.role == role && $0.personName == name }) {
            violations.append(BrokenRule(field: "personName", rule: "ALREADY_ASSIGNED", kind: .state, message: "\(name) already holds \(role.rawValue) here"))
        }
        return violations
    }
}

import PinganRules
/// A team of volunteers within one unit, with at most one named leader.
public struct Team: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String
    public var name: String
    public var leaderID: Int64?
    public var leaderName: String?
    public var members: Int

    public init(id: Int64, unitCode: String, name: String, leaderID: Int64? = nil, leaderName: String? = nil, members: Int = 0) {
        self.id = id
        self.unitCode = unitCode
        self.name = name
        self.leaderID = leaderID
        self.leaderName = leaderName
        self.members = members
    }
}

/// What the team rules need to know of a volunteer.
public struct TeamMember: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String
    public var status: VolunteerStatus
    public var teamID: Int64?
    /// The team this volunteer leads, if any.
    public var leads: Int64?

    public init(id: Int64, unitCode: String, status: VolunteerStatus, teamID: Int64?, leads: Int64?) {
        self.id = id
        self.unitCode = unitCode
        self.status = status
        self.teamID = teamID
        self.leads = leads
    }
}

/// The rules of teams, leaders and transfers, as plain functions.
public enum TeamRules {
    /// Only people in the corps belong to teams; applicants, the rejected and the withdrawn do not.
    static let memberStatuses: Set<VolunteerStatus> = [.active, .suspended]

    /// Problems with a team's name and leader; `teamID` is nil for a new team.
    public static func check(name: String, unitCode: String, teamID: Int64?, leader: TeamMember?) -> [BrokenRule] {
        var violations: [BrokenRule] = []
        let trimmed = name.trimmed
        if trimmed.isEmpty || trimmed.count > 40 {
            violations.append(BrokenRule(field: "name", rule: "TEAM_NAME", message: "must be 1-40 characters"))
        }
        if let leader {
            if leader.unitCode != unitCode {
                violations.append(BrokenRule(field: "leaderVolunteerId", rule: "LEADER_OUTSIDE_UNIT",
                    kind: .state, message: "volunteer \(leader.id) belongs to \(leader.unitCode), not \(unitCode)"))
            }
            if leader.status != .active {
                violations.append(BrokenRule(field: "leaderVolunteerId", rule: "LEADER_NOT_ACTIVE",
                    kind: .state, message: "volunteer \(leader.id) is \(leader.status.rawValue); a leader must be active"))
            }
            if let current = leader.teamID, current != teamID {
                violations.append(BrokenRule(field: "leaderVolunteerId", rule: "LEADER_IN_OTHER_TEAM",
                    kind: .state, message: "volunteer \(leader.id) is in team \(current); transfer them first"))
            }
        }
        return violations
    }

    /// Problems with moving `volunteer` into `team`.
    public static func checkTransfer(_ volunteer: TeamMember, to team: Team, reason: String) -> [BrokenRule] {
        var violations: [BrokenRule] = []
        if reason.allSatisfy(\.isWhitespace) {
            violations.append(BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "a transfer needs a reason"))
        }
        if !memberStatuses.contains(volunteer.status) {
            violations.append(BrokenRule(field: "volunteerId", rule: "NOT_IN_CORPS",
                kind: .state, message: "volunteer \(volunteer.id) is \(volunteer.status.rawValue); only active or suspended volunteers join teams"))
        }
        if volunteer.teamID == team.id {
            violations.append(BrokenRule(field: "toTeamId", rule: "ALREADY_IN_TEAM", kind: .state, message: "volunteer \(volunteer.id) is already in team \(team.id)"))
        }
        if let led = volunteer.leads {
            violations.append(BrokenRule(field: "volunteerId", rule: "LEADS_TEAM",
                kind: .state, message: "volunteer \(volunteer.id) leads team \(led); name another leader first"))
        }
        return violations
    }
}

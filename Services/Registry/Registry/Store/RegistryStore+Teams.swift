import Foundation
import GRDB
import PinganRules
import PinganStore

extension RegistryStore {
    /// Creates a team (`id` nil) or renames it and names its leader. A leader in no team joins
    /// this one, recorded like a transfer.
    ///
    /// - Parameter scope: a clerk's unit: teams and leaders elsewhere are refused.
    /// - Throws: `Refusal` listing every problem; nothing is written.
    public func saveTeam(
        id: Int64?, unitCode: String, name: String, leaderID: Int64?, scope: String?, actor: String, requestID: String,
        idempotency: IdempotencyKey? = nil
    ) async throws -> Team {
        try await writer.write { db in
            let teamID = try Self.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                if let scope, scope != unitCode {
                    throw Refusal("team", [BrokenRule(field: "unitCode", rule: "OUTSIDE_SCOPE", kind: .forbidden, message: "a clerk of \(scope) may not manage teams of \(unitCode)")])
                }
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM org_units WHERE code = ?", arguments: [unitCode]) != nil else {
                    throw Refusal("team", [BrokenRule(field: "unitCode", rule: "UNKNOWN_UNIT", kind: .missing, message: "unit \(unitCode) does not exist")])
                }
                if let id {
                    guard let existing = try String.fetchOne(db, sql: "SELECT unit_code FROM teams WHERE id = ?", arguments: [id]),
                          existing == unitCode else {
                        throw Refusal("team", [BrokenRule(field: "id", rule: "UNKNOWN_TEAM", kind: .missing, message: "team \(id) does not exist in \(unitCode)")])
                    }
                }
                let leader = try leaderID.map { leaderID in
                    guard let member = try Self.member(db, id: leaderID) else {
                        throw Refusal("team", [BrokenRule(field: "leaderVolunteerId", rule: "UNKNOWN_VOLUNTEER", kind: .missing, message: "volunteer \(leaderID) does not exist")])
                    }
                    return member
                }
                var violations = TeamRules.check(name: name, unitCode: unitCode, teamID: id, leader: leader)
                if let leader, let led = leader.leads, led != id {
                    violations.append(BrokenRule(field: "leaderVolunteerId", rule: "LEADS_TEAM", kind: .state, message: "volunteer \(leader.id) already leads team \(led)"))
                }
                if try Int64.fetchOne(db, sql: "SELECT id FROM teams WHERE unit_code = ? AND name = ? AND id IS NOT ?",
                                      arguments: [unitCode, name.trimmed, id]) != nil {
                    violations.append(BrokenRule(field: "name", rule: "TEAM_NAME_TAKEN", kind: .duplicate, message: "\(unitCode) already has a team named \(name.trimmed)"))
                }
                guard violations.isEmpty else { throw Refusal("team", violations) }

                let teamID: Int64
                if let id {
                    try db.execute(sql: "UPDATE teams SET name = ?, leader_id = ? WHERE id = ?", arguments: [name.trimmed, leaderID, id])
                    teamID = id
                } else {
                    try db.execute(sql: "INSERT INTO teams (unit_code, name, leader_id, created_at) VALUES (?, ?, ?, ?)",
                                   arguments: [unitCode, name.trimmed, leaderID, Self.timestamp()])
                    teamID = db.lastInsertedRowID
                }
                if let leader, leader.teamID == nil {
                    try Self.move(db, volunteer: leader.id, from: nil, to: teamID, actor: actor, reason: "named leader of team \(teamID)", requestID: requestID)
                    try Self.feedVolunteer(db, id: leader.id, action: "joined_team", actor: actor)
                }
                try Self.feedTeam(db, id: teamID, action: id == nil ? "created" : "updated", actor: actor)
                try Self.audit(db, actor: actor, action: id == nil ? "registry.createTeam" : "registry.updateTeam",
                               target: "team \(teamID) \(name.trimmed) in \(unitCode), leader \(leaderID.map(String.init) ?? "none")", requestID: requestID)
                return teamID
            }
            return try Self.teams(db, where: "t.id = ?", [teamID])[0]
        }
    }

    /// Teams of one unit, or of every unit, in id order.
    public func teams(unitCode: String?) async throws -> [Team] {
        try await writer.read { db in
            try unitCode.map { try Self.teams(db, where: "t.unit_code = ?", [$0]) } ?? Self.teams(db, where: "1", [])
        }
    }

    /// Moves a volunteer into a team; an admin may move them to another unit's team (the
    /// volunteer's unit follows the team).
    ///
    /// - Parameter scope: a clerk's unit: the volunteer and the team must both be in it.
    /// - Returns: nil if there is no such volunteer in scope.
    public func transfer(
        volunteerID: Int64, toTeam teamID: Int64, reason: String, scope: String?, actor: String, requestID: String,
        idempotency: IdempotencyKey? = nil
    ) async throws -> VolunteerRecord? {
        try await writer.write { db in
            let moved = try Self.once(db, idempotency, encode: { $0 ? "moved" : "" }, decode: { $0 == "moved" }) { () throws -> Bool in
                guard let member = try Self.member(db, id: volunteerID), scope == nil || scope == member.unitCode else { return false }
                guard let team = try Self.teams(db, where: "t.id = ?", [teamID]).first, scope == nil || scope == team.unitCode else {
                    throw Refusal("transfer", [BrokenRule(field: "toTeamId", rule: "UNKNOWN_TEAM", kind: .missing, message: "team \(teamID) does not exist in your scope")])
                }
                let violations = TeamRules.checkTransfer(member, to: team, reason: reason)
                guard violations.isEmpty else { throw Refusal("transfer", violations) }
                try Self.move(db, volunteer: volunteerID, from: member.teamID, to: teamID, actor: actor, reason: reason.trimmed, requestID: requestID)
                if team.unitCode != member.unitCode {
                    try db.execute(sql: "UPDATE volunteers SET unit_code = ? WHERE id = ?", arguments: [team.unitCode, volunteerID])
                }
                try Self.feedVolunteer(db, id: volunteerID, action: "transferred", actor: actor)
                try Self.audit(db, actor: actor, action: "registry.transfer",
                               target: "volunteer \(volunteerID): team \(member.teamID.map(String.init) ?? "none") -> \(teamID) (\(member.unitCode) -> \(team.unitCode))",
                               requestID: requestID)
                return true
            }
            return moved ? try Self.fetchVolunteer(db, id: volunteerID) : nil
        }
    }

    /// A volunteer's moves between teams, oldest first.
    public func teamHistory(volunteerID: Int64) async throws -> [TeamMove] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM team_history WHERE volunteer_id = ? ORDER BY seq", arguments: [volunteerID]).map {
                TeamMove(at: $0["at"], from: $0["from_team_id"], to: $0["to_team_id"], actor: $0["actor"], reason: $0["reason"])
            }
        }
    }

    private static func move(_ db: Database, volunteer: Int64, from: Int64?, to: Int64, actor: String, reason: String, requestID: String) throws {
        try db.execute(sql: "UPDATE volunteers SET team_id = ? WHERE id = ?", arguments: [to, volunteer])
        try db.execute(sql: """
            INSERT INTO team_history (volunteer_id, at, from_team_id, to_team_id, actor, reason, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [volunteer, timestamp(), from, to, actor, reason, requestID])
    }

    private static func member(_ db: Database, id: Int64) throws -> TeamMember? {
        try Row.fetchOne(db, sql: """
            SELECT v.id, v.unit_code, v.status, v.team_id, t.id AS leads FROM volunteers v LEFT JOIN teams t ON t.leader_id = v.id WHERE v.id = ?
            """, arguments: [id]).map {
            TeamMember(id: $0["id"], unitCode: $0["unit_code"], status: VolunteerStatus(rawValue: $0["status"])!, teamID: $0["team_id"], leads: $0["leads"])
        }
    }

    static func teams(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Team] {
        try Row.fetchAll(db, sql: """
            SELECT t.id, t.unit_code, t.name, t.leader_id, l.name AS leader_name,
                   (SELECT COUNT(*) FROM volunteers m WHERE m.team_id = t.id) AS members
            FROM teams t LEFT JOIN volunteers l ON l.id = t.leader_id WHERE \(condition) ORDER BY t.id
            """, arguments: arguments).map {
            Team(id: $0["id"], unitCode: $0["unit_code"], name: $0["name"], leaderID: $0["leader_id"], leaderName: $0["leader_name"], members: $0["members"])
        }
    }
}

/// One move of a volunteer between teams.
public struct TeamMove: Sendable, Hashable {
    public var at: String
    public var from: Int64?
    public var to: Int64
    public var actor: String
    public var reason: String
}

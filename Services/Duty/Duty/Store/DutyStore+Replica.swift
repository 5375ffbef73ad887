import GRDB
import PinganCampaign
import PinganVolunteerReplica

/// Reads of duty's copy of the registry's volunteers (kept by `ReplicaFollower`): reports join
/// it with duty's own activities instead of asking the registry for every volunteer per call.
extension DutyStore {
    /// The copy of the registry's volunteers in this database.
    public var replica: VolunteerReplica { VolunteerReplica(writer) }

    /// Every active volunteer, by id.
    public func activeVolunteers() async throws -> [DutyVolunteer] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, unit_code, team_id, team_name FROM registry_volunteers WHERE status = 'active' ORDER BY id")
                .map(Self.volunteer)
        }
    }

    /// The active volunteers among `ids`.
    public func activeVolunteers(among ids: [Int64]) async throws -> [DutyVolunteer] {
        try await writer.read { db in
            try Self.inSlices(of: ids) { marks, slice in
                try Row.fetchAll(db, sql: """
                    SELECT id, name, unit_code, team_id, team_name FROM registry_volunteers WHERE status = 'active' AND id IN (\(marks))
                    """, arguments: slice).map(Self.volunteer)
            }
        }
    }

    /// Which of `ids` are active volunteers.
    public func activeAmong(_ ids: [Int64]) async throws -> Set<Int64> {
        try await writer.read { db in
            Set(try Self.inSlices(of: ids) { marks, slice in
                try Int64.fetchAll(db, sql: "SELECT id FROM registry_volunteers WHERE status = 'active' AND id IN (\(marks))", arguments: slice)
            })
        }
    }

    /// Every team with active members: its name, unit and how many they are, by team id.
    public func activeTeams() async throws -> [Commendation.TeamMembers] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT team_id, MAX(team_name), MIN(unit_code), COUNT(*) FROM registry_volunteers
                WHERE status = 'active' AND team_id IS NOT NULL GROUP BY team_id ORDER BY team_id
                """).map { Commendation.TeamMembers(id: $0[0], name: $0[1] ?? "", unitCode: $0[2], members: $0[3]) }
        }
    }

    /// `fetch` over `ids` in slices (SQLite binds at most 32,766 values a statement), given the
    /// slice's `?` marks and values.
    private static func inSlices<T>(of ids: [Int64], _ fetch: (_ marks: String, _ slice: StatementArguments) throws -> [T]) throws -> [T] {
        var rows: [T] = []
        for start in stride(from: 0, to: ids.count, by: 10_000) {
            let slice = ids[start..<min(start + 10_000, ids.count)]
            rows += try fetch(Array(repeating: "?", count: slice.count).joined(separator: ","), StatementArguments(Array(slice)))
        }
        return rows
    }

    private static func volunteer(_ row: Row) -> DutyVolunteer {
        DutyVolunteer(id: row[0], name: row[1], unitCode: row[2], status: "active", teamID: row[3], teamName: row[4])
    }

    /// A month's compliance counted in the database: active volunteers and those with at
    /// least `minimum` activities from `from` to `to`, per unit and per team.
    public func compliance(from: CalendarDay, to: CalendarDay, minimum: Int, unitCode: String?) async throws -> ComplianceCounts {
        try await writer.read { db in
            let filter = unitCode == nil ? "" : " AND v.unit_code = ?"
            let unit: StatementArguments = unitCode.map { [$0] } ?? []
            let month: StatementArguments = [from.description, to.description]
            var counts = ComplianceCounts()
            for row in try Row.fetchAll(db, sql: """
                SELECT v.unit_code, COUNT(*) FROM registry_volunteers v WHERE v.status = 'active'\(filter) GROUP BY 1
                """, arguments: unit) {
                counts.units[row[0], default: (0, 0)].volunteers = row[1]
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT v.team_id, MAX(v.team_name), MIN(v.unit_code), COUNT(*), SUM(COALESCE(a.n, 0) >= ?)
                FROM registry_volunteers v LEFT JOIN (\(Self.totals)) a ON a.volunteer_id = v.id
                WHERE v.status = 'active' AND v.team_id IS NOT NULL\(filter) GROUP BY v.team_id
                """, arguments: [minimum] + month + unit) {
                counts.teams.append(.init(teamID: row[0], teamName: row[1] ?? "", unitCode: row[2], volunteers: row[3], compliant: row[4]))
            }
            let compliantUnits = minimum <= 0
                // Everyone meets a minimum of none, with or without activities.
                ? try Row.fetchAll(db, sql: "SELECT v.unit_code, COUNT(*) FROM registry_volunteers v WHERE v.status = 'active'\(filter) GROUP BY 1",
                                   arguments: unit)
                : try Row.fetchAll(db, sql: """
                    SELECT v.unit_code, COUNT(*) FROM (\(Self.totals)) a JOIN registry_volunteers v ON v.id = a.volunteer_id
                    WHERE a.n >= ? AND v.status = 'active'\(filter) GROUP BY 1
                    """, arguments: month + [minimum] + unit)
            for row in compliantUnits {
                counts.units[row[0], default: (0, 0)].compliant = row[1]
            }
            return counts
        }
    }

    /// Active volunteers (of `unitCode`, or all) below `minimum` activities in the month, by
    /// id: at most `limit` of them after volunteer `after`.
    public func behind(from: CalendarDay, to: CalendarDay, minimum: Int, unitCode: String?, after: Int64, limit: Int) async throws
        -> [ComplianceCounts.Behind] {
        try await writer.read { db in
            // `+` keeps SQLite off the status index: a page then reads ids from `after` on (the
            // pages of a list read the table once), instead of every active volunteer, sorted.
            let filter = unitCode == nil ? "" : " AND +v.unit_code = ?"
            return try Row.fetchAll(db, sql: """
                SELECT v.id, v.name, v.unit_code, COALESCE(a.n, 0), COALESCE(a.h, 0) FROM registry_volunteers v LEFT JOIN (\(Self.totals)) a ON a.volunteer_id = v.id
                WHERE v.id > ? AND +v.status = 'active' AND COALESCE(a.n, 0) < ?\(filter) ORDER BY v.id LIMIT ?
                """, arguments: [from.description, to.description, after, minimum] + (unitCode.map { [$0] } ?? []) + [limit]).map { row in
                ComplianceCounts.Behind(volunteerID: row[0], name: row[1], unitCode: row[2], activities: row[3], hours: row[4])
            }
        }
    }

    /// Activities per volunteer in a month (`day >= ? AND day <= ?`): small beside the
    /// volunteers, read once per statement.
    private static let totals = """
        SELECT volunteer_id, COUNT(*) AS n, SUM(hours) AS h FROM activities WHERE day >= ? AND day <= ? GROUP BY volunteer_id
        """
}

/// A month's compliance as the database counts it.
public struct ComplianceCounts: Sendable {
    public struct Team: Sendable, Hashable {
        public var teamID: Int64
        public var teamName: String
        public var unitCode: String
        public var volunteers: Int
        public var compliant: Int
    }

    public struct Behind: Sendable, Hashable {
        public var volunteerID: Int64
        public var name: String
        public var unitCode: String
        public var activities: Int
        public var hours: Double
    }

    /// Active volunteers and compliant ones per unit.
    public var units: [String: (volunteers: Int, compliant: Int)] = [:]
    /// The same per team, by team id.
    public var teams: [Team] = []
}

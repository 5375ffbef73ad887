import GRDB
import PinganVolunteerReplica

/// Active volunteers of a unit and category, and how many of them completed a course.
public struct CompletionCount: Sendable, Hashable {
    public var unitCode: String
    public var category: Int
    public var active: Int
    public var completed: Int
}

extension TrainingStore {
    /// Active volunteers and those of them who completed `courseID`, per unit and category, as
    /// the copy of the registry's volunteers has them.
    public func completionCounts(courseID: Int64, unitCode: String?) async throws -> [CompletionCount] {
        try await writer.read { db in
            let filter = unitCode == nil ? "" : " AND v.unit_code = ?"
            var counts: [Pair: CompletionCount] = [:]
            // Active volunteers from the status index alone; then the course's completions,
            // each looked up by id: neither reads every volunteer's row.
            for row in try Row.fetchAll(db, sql: """
                SELECT v.unit_code, v.category, COUNT(*) FROM registry_volunteers v WHERE v.status = 'active'\(filter) GROUP BY 1, 2
                """, arguments: unitCode.map { [$0] } ?? []) {
                counts[Pair(row[0], row[1])] = CompletionCount(unitCode: row[0], category: row[1], active: row[2], completed: 0)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT v.unit_code, v.category, COUNT(*) FROM course_records r JOIN registry_volunteers v ON v.id = r.volunteer_id
                WHERE r.course_id = ? AND r.completed_on IS NOT NULL AND v.status = 'active'\(filter) GROUP BY 1, 2
                """, arguments: unitCode.map { [courseID, $0] } ?? [courseID]) {
                counts[Pair(row[0], row[1])]?.completed = row[2]
            }
            return counts.values.sorted { ($0.unitCode, $0.category) < ($1.unitCode, $1.category) }
        }
    }

    private struct Pair: Hashable {
        let unitCode: String, category: Int
        init(_ unitCode: String, _ category: Int) {
            self.unitCode = unitCode
            self.category = category
        }
    }

    /// Active volunteers (of `unitCode`, or all) who have not completed `courseID`, with the
    /// hours they have in it, by id: at most `limit` of them after volunteer `after`.
    public func notCompleted(courseID: Int64, unitCode: String?, after: Int64, limit: Int) async throws
        -> [(volunteer: ReplicaVolunteer, hours: Double)] {
        try await writer.read { db in
            // `+` keeps SQLite off the status index: a page then reads ids from `after` on (the
            // pages of a list read the table once), instead of every active volunteer, sorted.
            let filter = unitCode == nil ? "" : " AND +v.unit_code = ?"
            return try Row.fetchAll(db, sql: """
                SELECT v.id, v.name, v.unit_code, v.category, r.hours FROM registry_volunteers v
                LEFT JOIN course_records r ON r.volunteer_id = v.id AND r.course_id = ?
                WHERE v.id > ? AND +v.status = 'active' AND r.completed_on IS NULL\(filter) ORDER BY v.id LIMIT ?
                """, arguments: [courseID, after] + (unitCode.map { [$0] } ?? []) + [limit]).map { row in
                (ReplicaVolunteer(id: row[0], name: row[1], unitCode: row[2], category: row[3], status: "active"), row[4] ?? 0)
            }
        }
    }

    /// Scheduled sessions, hours taught and seats taken per trainer.
    public func trainerLoad() async throws -> [(trainer: String, sessions: Int, hours: Double, enrolled: Int)] {
        try await writer.read { db in
            var load: [String: (sessions: Int, hours: Double, enrolled: Int)] = [:]
            for session in try Self.sessions(db, where: "s.status = 'scheduled'", []) {
                load[session.trainer, default: (0, 0, 0)].sessions += 1
                load[session.trainer, default: (0, 0, 0)].hours += session.hours
                load[session.trainer, default: (0, 0, 0)].enrolled += session.enrolled
            }
            return load.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sessions, $0.value.hours, $0.value.enrolled) }
        }
    }
}

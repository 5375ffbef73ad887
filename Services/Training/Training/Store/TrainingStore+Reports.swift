import GRDB

extension TrainingStore {
    /// Volunteers who completed `courseID`, by the unit and category the registry last gave.
    public func completions(courseID: Int64, unitCode: String?) async throws -> (byUnit: [String: Int], byCategory: [Int: Int], volunteers: Set<Int64>) {
        try await writer.read { db in
            var byUnit: [String: Int] = [:], byCategory: [Int: Int] = [:]
            var volunteers: Set<Int64> = []
            let filter = unitCode == nil ? "" : " AND v.unit_code = ?"
            var arguments: StatementArguments = [courseID]
            if let unitCode { arguments += [unitCode] }
            for row in try Row.fetchAll(db, sql: """
                SELECT v.id, v.unit_code, v.category FROM course_records r JOIN volunteers v ON v.id = r.volunteer_id
                WHERE r.course_id = ? AND r.completed_on IS NOT NULL\(filter)
                """, arguments: arguments) {
                byUnit[row["unit_code"], default: 0] += 1
                byCategory[row["category"], default: 0] += 1
                volunteers.insert(row["id"])
            }
            return (byUnit, byCategory, volunteers)
        }
    }

    /// Hours each volunteer has in a course (completed or not).
    public func hours(courseID: Int64) async throws -> [Int64: Double] {
        try await writer.read { db in
            var hours: [Int64: Double] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT volunteer_id, hours FROM course_records WHERE course_id = ?", arguments: [courseID]) {
                hours[row["volunteer_id"]] = row["hours"]
            }
            return hours
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

import GRDB
import PinganCampaign
import PinganRules
import PinganStore
import PinganTrainingContracts

/// A volunteer as the registry described them when asked.
public struct VolunteerSnapshot: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var unitCode: String
    public var category: Int
    public var status: String

    public init(id: Int64, name: String, unitCode: String, category: Int, status: String) {
        self.id = id
        self.name = name
        self.unitCode = unitCode
        self.category = category
        self.status = status
    }
}

extension TrainingStore {
    /// Enrolls a volunteer the registry has just called active. The seat count, the overlap
    /// check and the insert share one write transaction, so concurrent enrollments can never
    /// over-book a session.
    public func enroll(sessionID: Int64, volunteer: VolunteerSnapshot, actor: String, requestID: String,
                       idempotency: IdempotencyKey? = nil) async throws -> (session: TrainingSession, seatsLeft: Int) {
        try await writer.write { db in
            _ = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                guard let session = try Self.sessions(db, where: "s.id = ?", [sessionID]).first else {
                    throw Refusal("enrollment", [BrokenRule(field: "sessionId", rule: "UNKNOWN_SESSION", kind: .missing, message: "session \(sessionID) does not exist")])
                }
                let problems = SessionRules.checkEnrollment(in: session, alreadyIn: try Self.sessionsOf(db, volunteerID: volunteer.id))
                guard problems.isEmpty else { throw Refusal("enrollment", problems) }
                try Self.remember(db, volunteer)
                try db.execute(sql: """
                    INSERT INTO enrollments (session_id, volunteer_id, status, enrolled_at) VALUES (?, ?, 'enrolled', ?)
                    ON CONFLICT(session_id, volunteer_id) DO UPDATE SET status = 'enrolled', enrolled_at = excluded.enrolled_at
                    """, arguments: [sessionID, volunteer.id, ServiceDatabase.timestamp()])
                var enrollment = Pingan_Training_V1_Enrollment()
                enrollment.sessionID = sessionID
                enrollment.volunteerID = volunteer.id
                enrollment.volunteerName = volunteer.name
                enrollment.unitCode = volunteer.unitCode
                let after = try Self.sessions(db, where: "s.id = ?", [sessionID])[0]
                enrollment.seatsLeft = Int32(after.capacity - after.enrolled)
                try ChangeFeed.record(db, kind: "enrollment", entityID: "\(sessionID)/\(volunteer.id)", action: "enrolled", unitCode: volunteer.unitCode,
                                      actor: actor, stateType: Pingan_Training_V1_Enrollment.protoMessageName, state: try enrollment.serializedData())
                try AuditLog.append(db, actor: actor, action: "training.enroll", target: "volunteer \(volunteer.id) in session \(sessionID)", requestID: requestID)
                return sessionID
            }
            let session = try Self.sessions(db, where: "s.id = ?", [sessionID])[0]
            return (session, session.capacity - session.enrolled)
        }
    }

    static func remember(_ db: Database, _ volunteer: VolunteerSnapshot) throws {
        try db.execute(sql: """
            INSERT INTO volunteers (id, name, unit_code, category, checked_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, unit_code = excluded.unit_code, category = excluded.category,
                checked_at = excluded.checked_at
            """, arguments: [volunteer.id, volunteer.name, volunteer.unitCode, volunteer.category, ServiceDatabase.timestamp()])
    }

    /// Records a session's attendance sheet: every row or none. A row again for the same
    /// volunteer replaces the earlier one, so a corrected sheet can be sent whole.
    ///
    /// - Returns: how many rows were recorded and who completed the course with them; nil if
    ///   there is no such session.
    public func recordAttendance(sessionID: Int64, rows: [AttendanceRow], actor: String, requestID: String) async throws -> (recorded: Int, completed: [Int64])? {
        try await writer.write { db in
            guard let session = try Self.sessions(db, where: "s.id = ?", [sessionID]).first else { return nil }
            let enrolled = Set(try Self.enrolled(db, sessionID: sessionID))
            var problems: [BrokenRule] = []
            if session.status == .cancelled { problems.append(BrokenRule(field: "sessionId", rule: "SESSION_CANCELLED", kind: .state, message: "session \(sessionID) was cancelled")) }
            var seen: Set<Int64> = []
            for (index, row) in rows.enumerated() {
                let field = "rows[\(index + 1)]"
                if !enrolled.contains(row.volunteerID) {
                    problems.append(BrokenRule(field: "\(field).volunteerId", rule: "NOT_ENROLLED", kind: .state, message: "volunteer \(row.volunteerID) is not enrolled in session \(sessionID)"))
                }
                if !seen.insert(row.volunteerID).inserted {
                    problems.append(BrokenRule(field: "\(field).volunteerId", rule: "DUPLICATE_ROW", message: "volunteer \(row.volunteerID) appears twice on the sheet"))
                }
                if row.hours < 0 || row.hours > session.hours + 1e-9 || (!row.present && row.hours > 0) {
                    problems.append(BrokenRule(field: "\(field).hours", rule: "HOURS", message: "must be 0-\(session.hours) (0 when absent)"))
                }
            }
            if rows.isEmpty { problems.append(BrokenRule(field: "rows", rule: "EMPTY_SHEET", message: "an attendance sheet has at least one row")) }
            guard problems.isEmpty else { throw Refusal("attendance sheet", problems) }

            let now = ServiceDatabase.timestamp()
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO attendance (session_id, volunteer_id, present, hours, recorded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(session_id, volunteer_id) DO UPDATE SET present = excluded.present, hours = excluded.hours, recorded_at = excluded.recorded_at
                """)
            for row in rows {
                let hours = row.present ? (row.hours == 0 ? session.hours : row.hours) : 0
                try upsert.execute(arguments: [sessionID, row.volunteerID, row.present, hours, now])
            }
            let course = try Self.courses(db, where: "id = ?", [session.courseID])[0]
            var completed: [Int64] = []
            for row in rows {
                let (before, after) = try Self.refreshRecord(db, volunteerID: row.volunteerID, course: course, actor: actor)
                if before == nil, after != nil { completed.append(row.volunteerID) }
            }
            try AuditLog.append(db, actor: actor, action: "training.recordAttendance",
                                target: "session \(sessionID): \(rows.count) rows, \(rows.filter(\.present).count) present", requestID: requestID)
            return (rows.count, completed)
        }
    }

    /// Records an assessment result; nil if the course does not exist.
    public func recordAssessment(courseID: Int64, volunteerID: Int64, passed: Bool, on day: CalendarDay, actor: String, requestID: String) async throws -> (Course, CourseRecord)? {
        try await writer.write { db in
            guard let course = try Self.courses(db, where: "id = ?", [courseID]).first else { return nil }
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM volunteers WHERE id = ?", arguments: [volunteerID]) != nil else {
                throw Refusal("assessment", [BrokenRule(field: "volunteerId", rule: "UNKNOWN_VOLUNTEER", kind: .missing, message: "volunteer \(volunteerID) has never enrolled in training")])
            }
            try db.execute(sql: """
                INSERT INTO assessments (course_id, volunteer_id, passed, assessed_on) VALUES (?, ?, ?, ?)
                ON CONFLICT(course_id, volunteer_id) DO UPDATE SET passed = excluded.passed, assessed_on = excluded.assessed_on
                """, arguments: [courseID, volunteerID, passed, day.description])
            _ = try Self.refreshRecord(db, volunteerID: volunteerID, course: course, actor: actor)
            try AuditLog.append(db, actor: actor, action: "training.recordAssessment",
                                target: "volunteer \(volunteerID), course \(course.code): \(passed ? "passed" : "failed") on \(day)", requestID: requestID)
            return (course, try Self.records(db, volunteerIDs: [volunteerID])[volunteerID]?[courseID] ?? CourseRecord())
        }
    }

    /// Recomputes a volunteer's record in a course from attendance (in session order) and the
    /// assessment; returns the completion day before and after.
    @discardableResult
    static func refreshRecord(_ db: Database, volunteerID: Int64, course: Course, actor: String) throws -> (CalendarDay?, CalendarDay?) {
        let before = try String.fetchOne(db, sql: "SELECT completed_on FROM course_records WHERE volunteer_id = ? AND course_id = ?",
                                         arguments: [volunteerID, course.id]).flatMap { CalendarDay(iso: $0) }
        var hours = 0.0
        var reachedOn: CalendarDay?
        for row in try Row.fetchAll(db, sql: """
            SELECT s.starts_at, a.hours FROM attendance a JOIN sessions s ON s.id = a.session_id
            WHERE a.volunteer_id = ? AND s.course_id = ? AND s.status = 'scheduled' AND a.present = 1 ORDER BY s.starts_at
            """, arguments: [volunteerID, course.id]) {
            hours += row["hours"] as Double
            if reachedOn == nil, hours + 1e-9 >= course.requiredHours { reachedOn = LocalTime(row["starts_at"] as String)?.day }
        }
        let assessment = try Row.fetchOne(db, sql: "SELECT passed, assessed_on FROM assessments WHERE volunteer_id = ? AND course_id = ?",
                                          arguments: [volunteerID, course.id]).map { (passed: $0["passed"] as Bool, on: CalendarDay(iso: $0["assessed_on"] as String)!) }
        let completed = CourseRecord.completion(hours: hours, hoursReachedOn: reachedOn, course: course, assessment: assessment)
        try db.execute(sql: """
            INSERT INTO course_records (volunteer_id, course_id, hours, assessment_passed, completed_on) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(volunteer_id, course_id) DO UPDATE SET hours = excluded.hours, assessment_passed = excluded.assessment_passed,
                completed_on = excluded.completed_on
            """, arguments: [volunteerID, course.id, hours, assessment?.passed, completed?.description])
        if before != completed {
            let record = CourseRecord(hours: hours, assessmentPassed: assessment?.passed, completedOn: completed)
            try ChangeFeed.record(db, kind: "course_record", entityID: "\(volunteerID)/\(course.code)", action: completed == nil ? "completion_withdrawn" : "completed",
                                  unitCode: try String.fetchOne(db, sql: "SELECT unit_code FROM volunteers WHERE id = ?", arguments: [volunteerID]),
                                  actor: actor, stateType: Pingan_Training_V1_CourseStatus.protoMessageName,
                                  state: try TrainingService.message(course, record).serializedData())
        }
        return (before, completed)
    }

    /// Course records of many volunteers, read in chunks to stay within SQLite's parameter limit.
    public func records(volunteerIDs: [Int64]) async throws -> [Int64: [Int64: CourseRecord]] {
        try await writer.read { db in try Self.records(db, volunteerIDs: volunteerIDs) }
    }

    static func records(_ db: Database, volunteerIDs: [Int64]) throws -> [Int64: [Int64: CourseRecord]] {
        var records: [Int64: [Int64: CourseRecord]] = [:]
        var start = 0
        while start < volunteerIDs.count {
            let chunk = volunteerIDs[start..<min(start + 500, volunteerIDs.count)]
            start += 500
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            // Read by position: a batch of thousands makes name look-ups the larger cost.
            let statement = try db.cachedStatement(sql: """
                SELECT volunteer_id, course_id, hours, assessment_passed, completed_on FROM course_records WHERE volunteer_id IN (\(marks))
                """)
            for row in try Row.fetchAll(statement, arguments: StatementArguments(Array(chunk))) {
                records[row[0], default: [:]][row[1]] = CourseRecord(
                    hours: row[2], assessmentPassed: row[3], completedOn: (row[4] as String?).flatMap { CalendarDay(iso: $0) })
            }
        }
        return records
    }

    /// The unit a volunteer belonged to when training last heard of them.
    public func knownUnit(of volunteerID: Int64) async throws -> String? {
        try await writer.read { db in try String.fetchOne(db, sql: "SELECT unit_code FROM volunteers WHERE id = ?", arguments: [volunteerID]) }
    }

    /// Scheduled sessions a volunteer is enrolled in.
    public func sessions(ofVolunteer volunteerID: Int64) async throws -> [TrainingSession] {
        try await writer.read { db in try Self.sessionsOf(db, volunteerID: volunteerID) }
    }
}

/// One row of an attendance sheet.
public struct AttendanceRow: Sendable, Hashable {
    public var volunteerID: Int64
    public var present: Bool
    /// 0 with `present`: the session's whole length.
    public var hours: Double

    public init(volunteerID: Int64, present: Bool, hours: Double = 0) {
        self.volunteerID = volunteerID
        self.present = present
        self.hours = hours
    }
}

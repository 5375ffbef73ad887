import GRDB
import PinganCampaign
import PinganRules
import PinganStore
import PinganVolunteerReplica

/// The training service's SQLite database. It owns its file: nothing else opens it.
public struct TrainingStore: Sendable {
    let writer: any DatabaseWriter
    /// Whether the file can be trusted; shared by every copy of the store.
    public let health: DatabaseHealth

    public init(writer: any DatabaseWriter) throws {
        try ServiceDatabase.migrate(writer, with: TrainingMigrations.migrator, service: "training service")
        self.writer = writer
        self.health = DatabaseHealth(writer)
    }

    public static func open(path: String) throws -> TrainingStore {
        // Sessions and sheets can be entered again; the registry holds who is who.
        try TrainingStore(writer: ServiceDatabase.open(path: path, durability: .processCrash))
    }

    public static func inMemory() throws -> TrainingStore {
        try TrainingStore(writer: DatabaseQueue())
    }

    // MARK: Courses

    public func createCourse(_ draft: CourseDraft, calendar: CampaignCalendar, actor: String, requestID: String,
                             idempotency: IdempotencyKey? = nil) async throws -> Course {
        try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                let course = try draft.course(id: 0, calendar: calendar).get()
                if try Int64.fetchOne(db, sql: "SELECT id FROM courses WHERE code = ?", arguments: [course.code]) != nil {
                    throw Refusal("course", [BrokenRule(field: "code", rule: "COURSE_CODE_TAKEN", kind: .duplicate, message: "a course with code \(course.code) exists")])
                }
                try db.execute(sql: """
                    INSERT INTO courses (code, name, kind, projects, deadline, valid_through, required_hours, assessment_required, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [course.code, course.name, course.kind.rawValue, course.projects.joined(separator: "\n"), course.deadline.description,
                                     course.validThrough?.description, course.requiredHours, course.assessmentRequired, ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "training.createCourse", target: "course \(id) \(course.code)", requestID: requestID)
                return id
            }
            return try Self.courses(db, where: "id = ?", [id])[0]
        }
    }

    public func courses() async throws -> [Course] {
        try await writer.read { db in try Self.courses(db, where: "1", []) }
    }

    public func course(id: Int64) async throws -> Course? {
        try await writer.read { db in try Self.courses(db, where: "id = ?", [id]).first }
    }

    static func courses(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Course] {
        try Row.fetchAll(db, sql: "SELECT * FROM courses WHERE \(condition) ORDER BY id", arguments: arguments).map { row in
            let projects: String = row["projects"]
            return Course(id: row["id"], code: row["code"], name: row["name"], kind: CourseKind(rawValue: row["kind"])!,
                          projects: projects.isEmpty ? [] : projects.components(separatedBy: "\n"),
                          deadline: CalendarDay(iso: row["deadline"] as String)!, validThrough: (row["valid_through"] as String?).flatMap { CalendarDay(iso: $0) },
                          requiredHours: row["required_hours"], assessmentRequired: row["assessment_required"])
        }
    }

    // MARK: Sessions

    public func scheduleSession(courseID: Int64, starts: String, ends: String, place: String, capacity: Int, trainer: String,
                                actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> TrainingSession {
        try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                guard try Self.courses(db, where: "id = ?", [courseID]).first != nil else {
                    throw Refusal("session", [BrokenRule(field: "courseId", rule: "UNKNOWN_COURSE", kind: .missing, message: "course \(courseID) does not exist")])
                }
                let (start, end) = try SessionRules.check(starts: starts, ends: ends, place: place, capacity: capacity, trainer: trainer).get()
                try db.execute(sql: """
                    INSERT INTO sessions (course_id, starts_at, ends_at, place, capacity, trainer, status) VALUES (?, ?, ?, ?, ?, ?, 'scheduled')
                    """, arguments: [courseID, start.description, end.description, place.trimmed, capacity, trainer.trimmed])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "training.scheduleSession",
                                    target: "session \(id) of course \(courseID) \(start)-\(end.minuteText) at \(place.trimmed), \(capacity) seats",
                                    requestID: requestID)
                return id
            }
            return try Self.sessions(db, where: "s.id = ?", [id])[0]
        }
    }

    /// Moves a session or changes its place or capacity; the answer names the enrolled to notify.
    public func reschedule(sessionID: Int64, starts: String, ends: String, place: String?, capacity: Int?,
                           actor: String, requestID: String) async throws -> (TrainingSession, notify: [Int64])? {
        try await writer.write { db in
            guard let session = try Self.sessions(db, where: "s.id = ?", [sessionID]).first else { return nil }
            guard session.status == .scheduled else {
                throw Refusal("reschedule", [BrokenRule(field: "id", rule: "SESSION_CANCELLED", kind: .state, message: "session \(sessionID) was cancelled")])
            }
            let newPlace = place ?? session.place, newCapacity = capacity ?? session.capacity
            let (start, end) = try SessionRules.check(starts: starts, ends: ends, place: newPlace, capacity: newCapacity, trainer: session.trainer).get()
            var problems: [BrokenRule] = []
            if newCapacity < session.enrolled {
                problems.append(BrokenRule(field: "capacity", rule: "BELOW_ENROLLED", kind: .state, message: "\(session.enrolled) volunteers are enrolled; capacity \(newCapacity) is too small"))
            }
            let enrolled = try Self.enrolled(db, sessionID: sessionID)
            var moved = session
            moved.starts = start
            moved.ends = end
            for volunteer in enrolled {
                let others = try Self.sessionsOf(db, volunteerID: volunteer).filter { $0.id != sessionID }
                if let clash = others.first(where: { $0.overlaps(moved) }) {
                    problems.append(BrokenRule(field: "starts", rule: "OVERLAPPING_SESSION", kind: .state, message: "volunteer \(volunteer) is enrolled in session \(clash.id) at that time"))
                }
            }
            guard problems.isEmpty else { throw Refusal("reschedule", problems) }
            try db.execute(sql: "UPDATE sessions SET starts_at = ?, ends_at = ?, place = ?, capacity = ? WHERE id = ?",
                           arguments: [start.description, end.description, newPlace.trimmed, newCapacity, sessionID])
            try AuditLog.append(db, actor: actor, action: "training.rescheduleSession",
                                target: "session \(sessionID): \(session.starts) -> \(start), \(newPlace.trimmed), \(newCapacity) seats", requestID: requestID)
            return (try Self.sessions(db, where: "s.id = ?", [sessionID])[0], enrolled)
        }
    }

    /// Cancels a session and its enrollments; the answer names the enrolled to notify.
    public func cancel(sessionID: Int64, reason: String, actor: String, requestID: String) async throws -> (TrainingSession, notify: [Int64])? {
        try await writer.write { db in
            guard let session = try Self.sessions(db, where: "s.id = ?", [sessionID]).first else { return nil }
            var problems: [BrokenRule] = []
            if session.status == .cancelled { problems.append(BrokenRule(field: "id", rule: "SESSION_CANCELLED", kind: .state, message: "session \(sessionID) is already cancelled")) }
            if reason.trimmed.isEmpty { problems.append(BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "cancelling a session needs a reason")) }
            guard problems.isEmpty else { throw Refusal("cancellation", problems) }
            let enrolled = try Self.enrolled(db, sessionID: sessionID)
            try db.execute(sql: "UPDATE sessions SET status = 'cancelled', cancel_reason = ? WHERE id = ?", arguments: [reason.trimmed, sessionID])
            try db.execute(sql: "UPDATE enrollments SET status = 'cancelled' WHERE session_id = ? AND status = 'enrolled'", arguments: [sessionID])
            try AuditLog.append(db, actor: actor, action: "training.cancelSession",
                                target: "session \(sessionID): \(reason.trimmed); \(enrolled.count) enrolled", requestID: requestID)
            return (try Self.sessions(db, where: "s.id = ?", [sessionID])[0], enrolled)
        }
    }

    public func sessions(courseID: Int64?) async throws -> [TrainingSession] {
        try await writer.read { db in
            try courseID.map { try Self.sessions(db, where: "s.course_id = ?", [$0]) } ?? Self.sessions(db, where: "1", [])
        }
    }

    static func sessions(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [TrainingSession] {
        try Row.fetchAll(db, sql: """
            SELECT s.*, (SELECT COUNT(*) FROM enrollments e WHERE e.session_id = s.id AND e.status = 'enrolled') AS enrolled
            FROM sessions s WHERE \(condition) ORDER BY s.starts_at, s.id
            """, arguments: arguments).map { row in
            TrainingSession(id: row["id"], courseID: row["course_id"], starts: LocalTime(row["starts_at"] as String)!,
                            ends: LocalTime(row["ends_at"] as String)!, place: row["place"], capacity: row["capacity"], trainer: row["trainer"],
                            status: TrainingSession.Status(rawValue: row["status"])!, enrolled: row["enrolled"])
        }
    }

    /// The scheduled sessions a volunteer is enrolled in.
    static func sessionsOf(_ db: Database, volunteerID: Int64) throws -> [TrainingSession] {
        try sessions(db, where: "s.status = 'scheduled' AND s.id IN (SELECT session_id FROM enrollments WHERE volunteer_id = ? AND status = 'enrolled')",
                     [volunteerID])
    }

    static func enrolled(_ db: Database, sessionID: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT volunteer_id FROM enrollments WHERE session_id = ? AND status = 'enrolled' ORDER BY volunteer_id",
                           arguments: [sessionID])
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await writer.read(AuditLog.entries)
    }

    /// The audit log, for the host's record of refused calls and the Audit RPC.
    public var auditTrail: AuditTrail { AuditTrail(writer) }

    /// What the host works with: the audit log and the database's health.
    public var handle: StoreHandle { StoreHandle(writer, health: health) }

    /// The copy of the registry's volunteers in this database, which reports count.
    public var replica: VolunteerReplica { VolunteerReplica(writer) }
}

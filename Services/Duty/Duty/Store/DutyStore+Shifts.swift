import GRDB
import PinganCampaign
import PinganRules
import PinganStore

extension DutyStore {
    /// Fixes `volunteer` to the post for the window. Whether the volunteer may serve (active,
    /// qualified) is decided before, by the service; here, in one transaction: the post exists,
    /// is in service and in `scope`, and the volunteer has no overlapping shift - checked in code
    /// for the message, and by the schema's trigger whatever the code does.
    ///
    /// - Throws: a `Refusal` (UNKNOWN_POST, POST_RETIRED, OVERLAPPING_SHIFT); nothing is written.
    public func assignShift(postCode: String, volunteer: DutyVolunteer, window: (LocalTime, LocalTime), scope: String?,
                            actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> ShiftRecord {
        try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                guard let post = try Row.fetchOne(db, sql: "SELECT id, unit_code, retired_at FROM posts WHERE code = ?", arguments: [postCode]),
                      scope == nil || post["unit_code"] == scope else {
                    throw Refusal("shift", BrokenRule(field: "postCode", rule: "UNKNOWN_POST", kind: .missing, message: "post \(postCode) does not exist in your scope"))
                }
                guard post["retired_at"] as String? == nil else {
                    throw Refusal("shift", BrokenRule(field: "postCode", rule: "POST_RETIRED", kind: .state, message: "post \(postCode) is retired"))
                }
                try Self.remember(db, volunteer)
                let others = try Row.fetchAll(db, sql: """
                    SELECT id, starts_at, ends_at FROM shifts
                    WHERE volunteer_id = ? AND status = 'assigned' AND starts_at < ? AND ? < ends_at
                    """, arguments: [volunteer.id, window.1.description, window.0.description])
                    .map { (id: $0["id"] as Int64, starts: LocalTime($0["starts_at"])!, ends: LocalTime($0["ends_at"])!) }
                if let clash = ShiftRules.overlap(window, with: others) { throw Refusal("shift", clash) }
                do {
                    try db.execute(sql: """
                        INSERT INTO shifts (post_id, volunteer_id, starts_at, ends_at, status, created_at) VALUES (?, ?, ?, ?, 'assigned', ?)
                        """, arguments: [post["id"] as Int64, volunteer.id, window.0.description, window.1.description, ServiceDatabase.timestamp()])
                } catch let error as DatabaseError where error.message == "OVERLAPPING_SHIFT" {
                    throw Refusal("shift", BrokenRule(field: "starts", rule: "OVERLAPPING_SHIFT", kind: .state, message: "the volunteer is already on a shift then"))
                }
                let id = db.lastInsertedRowID
                try Self.feedShift(db, id: id, action: "assigned", actor: actor)
                try AuditLog.append(db, actor: actor, action: "duty.assignShift",
                                    target: "shift \(id): volunteer \(volunteer.id) on \(postCode) \(window.0)-\(window.1)", requestID: requestID)
                return id
            }
            return try Self.shifts(db, where: "s.id = ?", [id])[0]
        }
    }

    /// Cancels an assigned shift with a reason; nil if there is none in `scope`.
    public func cancelShift(id: Int64, reason: String, scope: String?, actor: String, requestID: String) async throws -> ShiftRecord? {
        try await writer.write { db in
            guard let shift = try Self.shifts(db, where: "s.id = ?", [id]).first, scope == nil || shift.unitCode == scope else { return nil }
            var rules: [BrokenRule] = []
            if shift.status == "cancelled" { rules.append(BrokenRule(field: "id", rule: "SHIFT_CANCELLED", kind: .state, message: "shift \(id) is already cancelled")) }
            if reason.trimmed.isEmpty { rules.append(BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "cancelling a shift needs a reason")) }
            guard rules.isEmpty else { throw Refusal("cancellation", rules) }
            try db.execute(sql: "UPDATE shifts SET status = 'cancelled', cancel_reason = ? WHERE id = ?", arguments: [reason.trimmed, id])
            try Self.feedShift(db, id: id, action: "cancelled", actor: actor)
            try AuditLog.append(db, actor: actor, action: "duty.cancelShift", target: "shift \(id)", requestID: requestID)
            return try Self.shifts(db, where: "s.id = ?", [id]).first
        }
    }

    /// Shifts of a volunteer or of a post, overlapping the days from `from` to `to` (either
    /// bound may be nil), in time order.
    public func shifts(volunteerID: Int64?, postCode: String?, from: CalendarDay?, to: CalendarDay?) async throws -> [ShiftRecord] {
        let (condition, arguments) = Self.shiftFilter(volunteerID: volunteerID, postCode: postCode, from: from, to: to)
        return try await writer.read { db in try Self.shifts(db, where: condition, arguments) }
    }

    /// The SQL condition on `s` (shifts) and `p` (posts) for a volunteer's or a post's shifts
    /// overlapping the days from `from` to `to`, in `scope`; nil leaves a part out.
    static func shiftFilter(volunteerID: Int64?, postCode: String?, from: CalendarDay?, to: CalendarDay?, scope: String? = nil,
                            also extra: [String] = []) -> (String, StatementArguments) {
        var conditions = extra
        var arguments: StatementArguments = []
        let parts: [(String, (any DatabaseValueConvertible)?)] = [
            ("s.volunteer_id = ?", volunteerID), ("p.code = ?", postCode), ("s.ends_at > ?", from.map { "\($0) 00:00" }),
            ("s.starts_at < ?", to.map { "\($0.next) 00:00" }), ("p.unit_code = ?", scope),
        ]
        for case let (condition, value?) in parts {
            conditions.append(condition)
            arguments += [value]
        }
        return (conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), arguments)
    }

    /// The units whose patrol posts had an assigned shift on each day of the period.
    public func staffedPatrolDays(from: CalendarDay, to: CalendarDay) async throws -> Set<Coverage.StaffedDay> {
        try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.unit_code, s.starts_at, s.ends_at FROM shifts s JOIN posts p ON p.id = s.post_id
                WHERE p.project = 'patrol' AND s.status = 'assigned' AND s.ends_at > ? AND s.starts_at < ?
                """, arguments: ["\(from) 00:00", "\(to.next) 00:00"])
            var staffed = Set<Coverage.StaffedDay>()
            for row in rows {
                for day in Coverage.days(from: LocalTime(row["starts_at"])!, to: LocalTime(row["ends_at"])!) where from <= day && day <= to {
                    staffed.insert(Coverage.StaffedDay(unitCode: row["unit_code"], day: day))
                }
            }
            return staffed
        }
    }

    static func remember(_ db: Database, _ volunteer: DutyVolunteer) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO volunteers (id, name, unit_code) VALUES (?, ?, ?)",
                       arguments: [volunteer.id, volunteer.name, volunteer.unitCode])
    }

    static func shifts(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [ShiftRecord] {
        try Row.fetchAll(db, sql: """
            SELECT s.id, p.code, p.project, p.unit_code, s.volunteer_id, v.name, s.starts_at, s.ends_at, s.status
            FROM shifts s JOIN posts p ON p.id = s.post_id JOIN volunteers v ON v.id = s.volunteer_id
            WHERE \(condition) ORDER BY s.starts_at, s.id
            """, arguments: arguments).map { row in
            ShiftRecord(id: row[0], postCode: row[1], project: ServiceProject(rawValue: row[2])!, unitCode: row[3], volunteerID: row[4],
                        volunteerName: row[5], starts: LocalTime(row[6] as String)!, ends: LocalTime(row[7] as String)!, status: row[8])
        }
    }
}

extension DutyStore {
    /// Assigns every shift of a rota in one transaction, or none: the post exists, is in service
    /// and in `scope`; no shift overlaps one on record. The rota's own overlaps were checked
    /// before, and the volunteers' standing: `refused` lists what the registry and training
    /// refused, so that the refusal lists those and every clash together - after the
    /// idempotency key, so a retry of an assigned rota gets its answer, not its own clashes.
    ///
    /// - Returns: how many were assigned and the first and last id (they run in between).
    /// - Throws: a `Refusal` listing every refused shift; nothing is written.
    public func assignRota(postCode: String, shifts: [Rota.Planned], volunteers: [Int64: DutyVolunteer], refused: [BrokenRule], scope: String?,
                           actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> (count: Int, first: Int64, last: Int64) {
        try await writer.write { db in
            let ids = try IdempotencyKey.once(db, idempotency, encode: { "\($0.0) \($0.1)" }, decode: { text -> (Int64, Int64)? in
                let parts = text.split(separator: " ").compactMap { Int64($0) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }) { () throws -> (Int64, Int64) in
                guard let post = try Row.fetchOne(db, sql: "SELECT id, unit_code, retired_at FROM posts WHERE code = ?", arguments: [postCode]),
                      scope == nil || post["unit_code"] == scope else {
                    throw Refusal("rota", BrokenRule(field: "postCode", rule: "UNKNOWN_POST", kind: .missing, message: "post \(postCode) does not exist in your scope"))
                }
                guard post["retired_at"] as String? == nil else {
                    throw Refusal("rota", BrokenRule(field: "postCode", rule: "POST_RETIRED", kind: .state, message: "post \(postCode) is retired"))
                }
                for volunteer in volunteers.values { try Self.remember(db, volunteer) }
                let rules = try refused + Self.clashes(db, shifts)
                guard rules.isEmpty else { throw Refusal("rota", rules) }
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO shifts (post_id, volunteer_id, starts_at, ends_at, status, created_at) VALUES (?, ?, ?, ?, 'assigned', ?)
                    """)
                let postID: Int64 = post["id"]
                let now = ServiceDatabase.timestamp()
                var first: Int64 = 0, last: Int64 = 0
                for shift in shifts {
                    try insert.execute(arguments: [postID, shift.volunteerID, shift.starts.description, shift.ends.description, now])
                    let id = db.lastInsertedRowID
                    if first == 0 { first = id }
                    last = id
                    try Self.feedShift(db, id: id, action: "assigned", actor: actor)
                }
                try AuditLog.append(db, actor: actor, action: "duty.assignRota",
                                    target: "rota on \(postCode): \(shifts.count) shifts \(first)-\(last)", requestID: requestID)
                return (first, last)
            }
            return (Int(ids.1 - ids.0 + 1), ids.0, ids.1)
        }
    }

    /// Every planned shift that overlaps an assigned shift on record, as a broken rule.
    static func clashes(_ db: Database, _ shifts: [Rota.Planned]) throws -> [BrokenRule] {
        let clash = try db.cachedStatement(sql: """
            SELECT starts_at, ends_at FROM shifts WHERE volunteer_id = ? AND status = 'assigned' AND starts_at < ? AND ? < ends_at LIMIT 1
            """)
        return try shifts.compactMap { shift in
            guard let row = try Row.fetchOne(clash, arguments: [shift.volunteerID, shift.ends.description, shift.starts.description]) else { return nil }
            return BrokenRule(field: "slots[\(shift.slot)]", rule: "OVERLAPPING_SHIFT", kind: .state,
                              message: "\(shift.starts): volunteer \(shift.volunteerID) is already on a shift \(row[0] as String)-\(row[1] as String)")
        }
    }
}

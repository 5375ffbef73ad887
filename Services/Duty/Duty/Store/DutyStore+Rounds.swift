import GRDB
import PinganCampaign
import PinganRules
import PinganStore

/// A patrol shift with its post's route and the check-ins so far (position to time).
public struct RoundRecord: Sendable, Hashable {
    public var shift: ShiftRecord
    public var route: [Checkpoint]
    public var checkIns: [Int: LocalTime]

    /// The round as judged at `now`.
    public func judged(at now: LocalTime) -> PatrolRound {
        PatrolRound(route: route, starts: shift.starts, checkIns: checkIns, now: now)
    }
}

extension DutyStore {
    /// Records that the volunteer on shift `shiftID` reached `checkpoint` at `at`; nil if there
    /// is no such shift in `scope`. A checkpoint already checked in keeps its first time and
    /// `alreadyRecorded` says so: tag readers scan twice.
    ///
    /// - Throws: a `Refusal` (SHIFT_CANCELLED, NOT_A_PATROL, UNKNOWN_CHECKPOINT, OUTSIDE_SHIFT).
    public func checkIn(shiftID: Int64, checkpoint: String, at: LocalTime, scope: String?,
                        actor: String, requestID: String) async throws -> (round: RoundRecord, alreadyRecorded: Bool)? {
        try await writer.write { db in
            guard let shift = try Self.shifts(db, where: "s.id = ?", [shiftID]).first, scope == nil || shift.unitCode == scope else { return nil }
            guard shift.status == "assigned" else {
                throw Refusal("check-in", BrokenRule(field: "shiftId", rule: "SHIFT_CANCELLED", kind: .state, message: "shift \(shiftID) is cancelled"))
            }
            guard shift.project == .patrol else {
                throw Refusal("check-in", BrokenRule(field: "shiftId", rule: "NOT_A_PATROL", kind: .state,
                                                     message: "shift \(shiftID) is on \(shift.postCode), a \(shift.project.rawValue) post without a route"))
            }
            let route = try Self.routes(db, posts: [shift.postCode])[shift.postCode] ?? []
            let position = try PatrolRound.checkpoint(named: checkpoint, at: at, route: route, shift: (shift.starts, shift.ends)).get()
            let first = try String.fetchOne(db, sql: "SELECT at FROM check_ins WHERE shift_id = ? AND position = ?", arguments: [shiftID, position])
            if first == nil {
                try db.execute(sql: """
                    INSERT INTO check_ins (shift_id, position, checkpoint, at, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [shiftID, position, route[position].name, at.description, actor, ServiceDatabase.timestamp()])
                try AuditLog.append(db, actor: actor, action: "duty.checkIn", target: "shift \(shiftID) checkpoint \(position + 1) at \(at)", requestID: requestID)
            }
            return (try Self.rounds(db, of: [shift])[0], first != nil)
        }
    }

    /// The rounds of a volunteer's or a post's patrol shifts overlapping the days, in `scope`.
    public func rounds(volunteerID: Int64?, postCode: String?, from: CalendarDay, to: CalendarDay, scope: String?) async throws -> [RoundRecord] {
        let (condition, arguments) = Self.shiftFilter(volunteerID: volunteerID, postCode: postCode, from: from, to: to, scope: scope,
                                                      also: ["p.project = 'patrol'", "s.status = 'assigned'"])
        return try await writer.read { db in try Self.rounds(db, of: Self.shifts(db, where: condition, arguments)) }
    }

    /// The rounds that may have a checkpoint whose grace ends in [`after`, `before`): patrol
    /// shifts starting at most a longest round plus the grace before `after`.
    public func rounds(deadlinesFrom after: LocalTime, before: LocalTime, unitCode: String?) async throws -> [RoundRecord] {
        let earliest = LocalTime(day: (0..<2).reduce(after.day) { day, _ in day.previous }, minute: after.minute)!
        return try await writer.read { db in
            var conditions = ["p.project = 'patrol'", "s.status = 'assigned'", "s.starts_at >= ?", "s.starts_at < ?"]
            var arguments: StatementArguments = [earliest.description, before.description]
            if let unitCode {
                conditions.append("p.unit_code = ?")
                arguments += [unitCode]
            }
            return try Self.rounds(db, of: Self.shifts(db, where: conditions.joined(separator: " AND "), arguments))
        }
    }

    static func rounds(_ db: Database, of shifts: [ShiftRecord]) throws -> [RoundRecord] {
        guard !shifts.isEmpty else { return [] }
        let routes = try routes(db, posts: Set(shifts.map(\.postCode)))
        var checkIns: [Int64: [Int: LocalTime]] = [:]
        // Ids are integers from the database: safe to inline, and one query however many shifts.
        let ids = shifts.map { String($0.id) }.joined(separator: ",")
        for row in try Row.fetchAll(db, sql: "SELECT shift_id, position, at FROM check_ins WHERE shift_id IN (\(ids))") {
            checkIns[row["shift_id"], default: [:]][row["position"]] = LocalTime(row["at"] as String)
        }
        return shifts.map { RoundRecord(shift: $0, route: routes[$0.postCode] ?? [], checkIns: checkIns[$0.id] ?? [:]) }
    }

    static func routes(_ db: Database, posts: Set<String>) throws -> [String: [Checkpoint]] {
        let statement = try db.cachedStatement(sql: """
            SELECT c.name, c.minutes_from_start FROM checkpoints c JOIN posts p ON p.id = c.post_id WHERE p.code = ? ORDER BY c.position
            """)
        var routes: [String: [Checkpoint]] = [:]
        for code in posts {
            routes[code] = try Row.fetchAll(statement, arguments: [code]).map { Checkpoint(name: $0[0], minutesFromStart: $0[1]) }
        }
        return routes
    }
}

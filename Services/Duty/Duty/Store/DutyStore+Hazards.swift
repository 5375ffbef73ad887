import GRDB
import PinganCampaign
import PinganRules
import PinganStore

extension DutyStore {
    /// A new hazard report, status reported.
    public func reportHazard(kind: HazardKind, unitCode: String, place: String, description: String, reportedBy: Int64?, on day: CalendarDay,
                             actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> HazardRecord {
        var rules: [BrokenRule] = []
        if place.trimmed.isEmpty || place.count > 200 { rules.append(BrokenRule(field: "place", rule: "PLACE", message: "must be 1-200 characters")) }
        if description.trimmed.isEmpty || description.count > 2000 {
            rules.append(BrokenRule(field: "description", rule: "DESCRIPTION", message: "must be 1-2000 characters"))
        }
        guard rules.isEmpty else { throw Refusal("hazard", rules) }
        return try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                try db.execute(sql: """
                    INSERT INTO hazards (kind, unit_code, place, description, reported_by, reported_on, status, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'reported', ?)
                    """, arguments: [kind.rawValue, unitCode, place.trimmed, description.trimmed, reportedBy, day.description, ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try Self.step(db, hazard: id, on: day, from: nil, to: .reported, actor: actor, note: "", requestID: requestID)
                try AuditLog.append(db, actor: actor, action: "duty.reportHazard", target: "hazard \(id) (\(unitCode))", requestID: requestID)
                return id
            }
            return try Self.hazards(db, where: "id = ?", [id])[0]
        }
    }

    /// Moves a hazard one step on; nil if there is none in `scope`.
    ///
    /// - Throws: a `Refusal` naming the allowed steps for an illegal one.
    public func advanceHazard(id: Int64, step: HazardStep, note: String, scope: String?, actor: String, requestID: String) async throws -> HazardRecord? {
        try await writer.write { db in
            guard let hazard = try Self.hazards(db, where: "id = ?", [id]).first, scope == nil || hazard.unitCode == scope else { return nil }
            let next = try HazardWorkflow.apply(step, from: hazard.status, reportedOn: hazard.reportedOn).get()
            if let department = next.department, let due = next.dueOn {
                try db.execute(sql: "UPDATE hazards SET status = ?, department = ?, due_on = ?, updated_at = ? WHERE id = ?",
                               arguments: [next.status.rawValue, department, due.description, ServiceDatabase.timestamp(), id])
            } else {
                try db.execute(sql: "UPDATE hazards SET status = ?, updated_at = ? WHERE id = ?",
                               arguments: [next.status.rawValue, ServiceDatabase.timestamp(), id])
            }
            try Self.step(db, hazard: id, on: next.on, from: hazard.status, to: next.status, actor: actor, note: String(note.prefix(500)), requestID: requestID)
            try AuditLog.append(db, actor: actor, action: "duty.advanceHazard", target: "hazard \(id): \(hazard.status.rawValue) -> \(next.status.rawValue)",
                                requestID: requestID)
            return try Self.hazards(db, where: "id = ?", [id]).first
        }
    }

    /// Hazards of a unit (or all), the verified ones only if asked, oldest report first.
    public func hazards(unitCode: String?, includeVerified: Bool) async throws -> [HazardRecord] {
        try await writer.read { db in
            var conditions = ["1 = 1"]
            var arguments: StatementArguments = []
            if let unitCode {
                conditions.append("unit_code = ?")
                arguments += [unitCode]
            }
            if !includeVerified { conditions.append("status != 'verified'") }
            return try Self.hazards(db, where: conditions.joined(separator: " AND "), arguments)
        }
    }

    static func step(_ db: Database, hazard: Int64, on day: CalendarDay, from: HazardStatus?, to: HazardStatus, actor: String, note: String,
                     requestID: String) throws {
        try db.execute(sql: """
            INSERT INTO hazard_history (hazard_id, at, on_day, from_status, to_status, actor, note, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [hazard, ServiceDatabase.timestamp(), day.description, from?.rawValue, to.rawValue, actor, note, requestID])
        try feedHazard(db, id: hazard, action: to.rawValue, on: day, actor: actor)
    }

    static func hazards(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [HazardRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM hazards WHERE \(condition) ORDER BY reported_on, id", arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let steps = try Row.fetchAll(db, sql: "SELECT * FROM hazard_history WHERE hazard_id = ? ORDER BY rowid", arguments: [id]).map {
                HazardRecord.Step(at: $0["at"], on: $0["on_day"], from: $0["from_status"], to: $0["to_status"], actor: $0["actor"], note: $0["note"])
            }
            return HazardRecord(id: id, kind: HazardKind(rawValue: row["kind"])!, unitCode: row["unit_code"], place: row["place"],
                                description: row["description"], reportedBy: row["reported_by"], reportedOn: CalendarDay(iso: row["reported_on"] as String)!,
                                status: HazardStatus(rawValue: row["status"])!, department: row["department"],
                                dueOn: (row["due_on"] as String?).flatMap(CalendarDay.init(iso:)), steps: steps)
        }
    }
}

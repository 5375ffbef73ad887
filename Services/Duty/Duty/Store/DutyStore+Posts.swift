import GRDB
import PinganCampaign
import PinganRules
import PinganStore

extension DutyStore {
    /// Creates a post, or changes the one with its code (its unit stays); the route is replaced.
    ///
    /// - Throws: a `Refusal` with every broken rule; nothing is written.
    public func savePost(_ draft: PostDraft, actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> PostRecord {
        let project = try draft.validated().get()
        return try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                let code = draft.code.trimmed
                let id: Int64
                if let existing = try Row.fetchOne(db, sql: "SELECT id, unit_code, retired_at FROM posts WHERE code = ?", arguments: [code]) {
                    guard existing["retired_at"] as String? == nil else {
                        throw Refusal("post", BrokenRule(field: "code", rule: "POST_RETIRED", kind: .state, message: "post \(code) is retired"))
                    }
                    guard existing["unit_code"] as String == draft.unitCode else {
                        throw Refusal("post", BrokenRule(field: "unitCode", rule: "POST_UNIT_FIXED", kind: .state,
                                                         message: "post \(code) belongs to \(existing["unit_code"] as String); retire it and make a new one"))
                    }
                    id = existing["id"]
                    try db.execute(sql: "UPDATE posts SET project = ?, place = ?, duty = ? WHERE id = ?",
                                   arguments: [project.rawValue, draft.place.trimmed, draft.duty.trimmed, id])
                    try db.execute(sql: "DELETE FROM checkpoints WHERE post_id = ?", arguments: [id])
                } else {
                    try db.execute(sql: "INSERT INTO posts (code, project, unit_code, place, duty, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [code, project.rawValue, draft.unitCode, draft.place.trimmed, draft.duty.trimmed, ServiceDatabase.timestamp()])
                    id = db.lastInsertedRowID
                }
                for (position, checkpoint) in draft.route.enumerated() {
                    try db.execute(sql: "INSERT INTO checkpoints (post_id, position, name, minutes_from_start) VALUES (?, ?, ?, ?)",
                                   arguments: [id, position + 1, checkpoint.name.trimmed, checkpoint.minutesFromStart])
                }
                try AuditLog.append(db, actor: actor, action: "duty.savePost", target: "post \(code) (\(draft.unitCode))", requestID: requestID)
                return id
            }
            return try Self.posts(db, where: "p.id = ?", [id])[0]
        }
    }

    /// Retires a post with a reason: no shift is assigned to it again. Nil if there is no such
    /// post in `scope` (a unit, or every unit).
    public func retirePost(code: String, reason: String, scope: String?, actor: String, requestID: String) async throws -> PostRecord? {
        try await writer.write { db in
            guard let post = try Self.posts(db, where: "p.code = ?", [code]).first, scope == nil || post.unitCode == scope else { return nil }
            var rules: [BrokenRule] = []
            if post.retiredAt != nil { rules.append(BrokenRule(field: "code", rule: "POST_RETIRED", kind: .state, message: "post \(code) is already retired")) }
            if reason.trimmed.isEmpty { rules.append(BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "retiring a post needs a reason")) }
            guard rules.isEmpty else { throw Refusal("retirement", rules) }
            try db.execute(sql: "UPDATE posts SET retired_at = ?, retire_reason = ? WHERE id = ?",
                           arguments: [ServiceDatabase.timestamp(), reason.trimmed, post.id])
            try AuditLog.append(db, actor: actor, action: "duty.retirePost", target: "post \(code)", requestID: requestID)
            return try Self.posts(db, where: "p.id = ?", [post.id]).first
        }
    }

    /// Posts of a unit (or all), of a project (or all), in code order.
    public func posts(unitCode: String?, project: ServiceProject?, includeRetired: Bool) async throws -> [PostRecord] {
        try await writer.read { db in
            var conditions = ["1 = 1"]
            var arguments: StatementArguments = []
            if let unitCode {
                conditions.append("p.unit_code = ?")
                arguments += [unitCode]
            }
            if let project {
                conditions.append("p.project = ?")
                arguments += [project.rawValue]
            }
            if !includeRetired { conditions.append("p.retired_at IS NULL") }
            return try Self.posts(db, where: conditions.joined(separator: " AND "), arguments)
        }
    }

    static func posts(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [PostRecord] {
        let rows = try Row.fetchAll(db, sql: "SELECT p.* FROM posts p WHERE \(condition) ORDER BY p.code", arguments: arguments)
        return try rows.map { row in
            let id: Int64 = row["id"]
            let route = try Row.fetchAll(db, sql: "SELECT name, minutes_from_start FROM checkpoints WHERE post_id = ? ORDER BY position", arguments: [id])
                .map { Checkpoint(name: $0["name"], minutesFromStart: $0["minutes_from_start"]) }
            return PostRecord(id: id, code: row["code"], project: ServiceProject(rawValue: row["project"])!, unitCode: row["unit_code"],
                              place: row["place"], duty: row["duty"], route: route, retiredAt: row["retired_at"], retireReason: row["retire_reason"])
        }
    }
}

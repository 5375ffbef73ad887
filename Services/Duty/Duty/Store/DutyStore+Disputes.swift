import Foundation
import GRDB
import PinganCampaign
import PinganPersonalData
import PinganRules
import PinganStore

/// A dispute case as duty keeps it, opened.
public struct DisputeRecord: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public var on: CalendarDay
        public var action: DisputeAction
        public var note: String
        public var actor: String
    }

    public var id: Int64
    public var unitCode: String
    public var kind: DisputeKind
    public var parties: [String]
    public var summary: String
    public var openedOn: CalendarDay
    public var status: DisputeStatus
    public var mediatorVolunteerID: Int64?
    public var referredTo: String?
    public var closedOn: CalendarDay?
    public var steps: [Step]
}

extension DutyStore {
    static let partiesField = "duty.dispute.parties"
    static let summaryField = "duty.dispute.summary"
    static let stepNoteField = "duty.dispute.step_note"

    /// Opens a dispute case; parties and summary sealed.
    public func openDispute(unitCode: String, kind: DisputeKind, parties: [String], summary: String, openedOn: CalendarDay, mediator: Int64?,
                            actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> DisputeRecord {
        let cipher = try requireCipher()
        let rules = DisputeWorkflow.openingRules(parties: parties, summary: summary)
        guard rules.isEmpty else { throw Refusal("dispute", rules) }
        let partiesText = String(decoding: try JSONEncoder().encode(parties.map(\.trimmed)), as: UTF8.self)
        return try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                try db.execute(sql: """
                    INSERT INTO disputes (unit_code, kind, parties_sealed, summary_sealed, opened_on, status, mediator_volunteer_id, created_at)
                    VALUES (?, ?, ?, ?, ?, 'open', ?, ?)
                    """, arguments: [unitCode, kind.rawValue, Data(cipher.seal(partiesText, field: Self.partiesField)),
                                     Data(cipher.seal(summary.trimmed, field: Self.summaryField)), openedOn.description, mediator,
                                     ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "duty.openDispute", target: "dispute \(id) in \(unitCode)", requestID: requestID)
                return id
            }
            return try Self.disputes(db, cipher, where: "id = ?", [id])[0]
        }
    }

    /// Takes a step in a case in `scope`; nil if there is none.
    ///
    /// - Throws: a `Refusal` for a step the case's state or the request's fields do not allow.
    public func advanceDispute(id: Int64, action: DisputeAction, on day: CalendarDay, note: String, referredTo: String, scope: String?,
                               actor: String, requestID: String) async throws -> DisputeRecord? {
        let cipher = try requireCipher()
        return try await writer.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT unit_code, status, opened_on FROM disputes WHERE id = ?", arguments: [id]),
                  scope == nil || row["unit_code"] == scope else { return nil }
            let status = DisputeStatus(rawValue: row["status"]) ?? .open
            if let rule = DisputeWorkflow.stepRule(from: status, action, note: note, referredTo: referredTo, on: day,
                                                   openedOn: CalendarDay(iso: row["opened_on"] as String)!) {
                throw Refusal("dispute step", rule)
            }
            let closes = action.status.isClosed
            try db.execute(sql: "UPDATE disputes SET status = ?, referred_to = ?, closed_on = ? WHERE id = ?",
                           arguments: [action.status.rawValue, action == .refer ? referredTo.trimmed : nil, closes ? day.description : nil, id])
            try db.execute(sql: """
                INSERT INTO dispute_steps (dispute_id, on_day, action, note_sealed, actor, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, day.description, action.rawValue, Data(cipher.seal(note.trimmed, field: Self.stepNoteField)), actor, requestID,
                                 ServiceDatabase.timestamp()])
            try AuditLog.append(db, actor: actor, action: "duty.advanceDispute", target: "dispute \(id): \(action.rawValue) on \(day)", requestID: requestID)
            return try Self.disputes(db, cipher, where: "id = ?", [id]).first
        }
    }

    /// The cases of `unitCode` (nil: every unit), open ones only unless `includeClosed`; the
    /// reading is on record.
    public func disputes(unitCode: String?, includeClosed: Bool, actor: String, requestID: String) async throws -> [DisputeRecord] {
        let cipher = try requireCipher()
        return try await writer.write { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let unitCode {
                conditions.append("unit_code = ?")
                arguments += [unitCode]
            }
            if !includeClosed { conditions.append("status IN ('open', 'mediating')") }
            let cases = try Self.disputes(db, cipher, where: conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND "), arguments)
            try AuditLog.append(db, actor: actor, action: "duty.readDisputes", target: "\(cases.count) disputes of \(unitCode ?? "every unit")", requestID: requestID)
            return cases
        }
    }

    static func disputes(_ db: Database, _ cipher: PersonalDataCipher, where condition: String, _ arguments: StatementArguments) throws -> [DisputeRecord] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, unit_code, kind, parties_sealed, summary_sealed, opened_on, status, mediator_volunteer_id, referred_to, closed_on
            FROM disputes WHERE \(condition) ORDER BY opened_on, id
            """, arguments: arguments)
        let steps = try db.cachedStatement(sql: "SELECT on_day, action, note_sealed, actor FROM dispute_steps WHERE dispute_id = ? ORDER BY rowid")
        return try rows.map { row in
            let partiesText = try open(cipher, row["parties_sealed"], Self.partiesField)
            let id: Int64 = row["id"]
            return DisputeRecord(
                id: id, unitCode: row["unit_code"], kind: DisputeKind(rawValue: row["kind"]) ?? .other,
                parties: (try? JSONDecoder().decode([String].self, from: Data(partiesText.utf8))) ?? [],
                summary: try open(cipher, row["summary_sealed"], Self.summaryField), openedOn: CalendarDay(iso: row["opened_on"] as String)!,
                status: DisputeStatus(rawValue: row["status"]) ?? .open, mediatorVolunteerID: row["mediator_volunteer_id"],
                referredTo: row["referred_to"], closedOn: (row["closed_on"] as String?).flatMap { CalendarDay(iso: $0) },
                steps: try Row.fetchAll(steps, arguments: [id]).map { step in
                    DisputeRecord.Step(on: CalendarDay(iso: step[0] as String)!, action: DisputeAction(rawValue: step[1]) ?? .mediate,
                                       note: try open(cipher, step[2], Self.stepNoteField), actor: step[3])
                })
        }
    }
}

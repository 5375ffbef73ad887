import GRDB
import PinganCampaign
import PinganFinanceContracts
import PinganRules
import PinganStore

/// A month's allowance batch for one funder, as the store keeps it.
public struct AllowanceBatch: Sendable, Hashable {
    public var id: Int64
    public var month: String
    public var funder: String
    public var status: BatchStatus
    public var total: Money
    public var lines: Int
    public var volunteers: Int
    public var computedBy: String
    public var approvedBy: String?
    public var postedBy: String?
    public var rejectedBy: String?
    public var reason: String?
}

/// One paid (or reserved) line: a volunteer's allowance under one standard in one batch.
public struct AllowanceLineRecord: Sendable, Hashable {
    public var batchID: Int64
    public var month: String
    public var funder: String
    public var status: BatchStatus
    public var volunteerID: Int64
    public var unitCode: String
    public var rate: RateRecord
    public var quantity: Int
    public var amount: Money
}

extension FinanceStore {
    /// Who pays a month's allowances: the town funder, and the villages by the units they pay
    /// for.
    ///
    /// - Throws: a `Refusal` (NO_TOWN_FUNDER) unless exactly one town funder is open.
    public func allowancePayers() async throws -> AllowancePayers {
        try await writer.read { db in
            let towns = try String.fetchAll(db, sql: "SELECT code FROM accounts WHERE kind = 'funder/town' ORDER BY code")
            guard towns.count == 1, let town = towns.first?.dropFirst("FUNDER/".count) else {
                throw Refusal("allowances", BrokenRule(field: "funder", rule: "NO_TOWN_FUNDER", kind: .state,
                                                       message: "allowances need exactly one town funder; \(towns.count) are open"))
            }
            var villages: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT unit_code, funder FROM funder_units") { villages[row[0]] = row[1] }
            return AllowancePayers(town: String(town), villageOf: villages)
        }
    }

    /// Every expense standard, for the allowance calculator.
    public func allRates() async throws -> [RateRecord] {
        try await writer.read { db in try Self.rates(db, where: "1 = 1 ORDER BY id", []) }
    }

    /// Names the units whose patrols a village funder pays (their shifts' transport and meals
    /// come from its village-patrol line).
    ///
    /// - Throws: a `Refusal` (UNIT_HAS_PAYER) for a unit another village already pays for.
    public func assignUnits(_ units: [String], to funder: String, actor: String, requestID: String) async throws {
        guard !units.isEmpty else { return }
        try await writer.write { db in
            var rules: [BrokenRule] = []
            for (index, unit) in units.enumerated() {
                rules += LedgerCodes.codeRules(unit, field: "units[\(index)]")
                if let payer = try String.fetchOne(db, sql: "SELECT funder FROM funder_units WHERE unit_code = ?", arguments: [unit]), payer != funder {
                    rules.append(BrokenRule(field: "units[\(index)]", rule: "UNIT_HAS_PAYER", kind: .duplicate, message: "\(unit)'s patrols are paid by \(payer)"))
                }
            }
            guard rules.isEmpty else { throw Refusal("funder", rules) }
            for unit in units {
                try db.execute(sql: "INSERT OR IGNORE INTO funder_units (unit_code, funder) VALUES (?, ?)", arguments: [unit, funder])
            }
            try AuditLog.append(db, actor: actor, action: "finance.assignUnits", target: "\(funder) pays for \(units.joined(separator: ","))", requestID: requestID)
        }
    }

    /// Reserves a month's batches in one transaction: each line a pending transfer from its
    /// budget line, each batch `reserved`. All of them, or none and every short line named.
    ///
    /// - Throws: a `Refusal`: MONTH_ALREADY_COMPUTED (a month is paid once; a rejected batch
    ///   frees it), NOTHING_TO_PAY, BUDGET_LINE_MISSING, EXCEEDS_CREDITS (available and needed).
    public func reserveAllowances(month: CalendarMonth, _ drafts: [AllowanceBatchDraft], actor: String, requestID: String,
                                  idempotency: IdempotencyKey? = nil) async throws -> [AllowanceBatch] {
        try await writer.write { db in
            let ids = try IdempotencyKey.once(db, idempotency, encode: { $0.map(String.init).joined(separator: ",") },
                                              decode: { text in text.split(separator: ",").compactMap { Int64($0) } }) { () throws -> [Int64] in
                try Self.reserve(month: month, drafts, db, actor: actor, requestID: requestID)
            }
            return try Self.batches(db, where: "b.id IN (\(ids.map(String.init).joined(separator: ",")))", [])
        }
    }

    static func reserve(month: CalendarMonth, _ drafts: [AllowanceBatchDraft], _ db: Database, actor: String, requestID: String) throws -> [Int64] {
        let existing = try batches(db, where: "b.month = ? AND b.status != 'rejected'", [month.description])
        guard existing.isEmpty else {
            let list = existing.map { "batch \($0.id) (\($0.funder), \($0.status.rawValue))" }.joined(separator: ", ")
            throw Refusal("allowances", BrokenRule(field: "month", rule: "MONTH_ALREADY_COMPUTED", kind: .duplicate,
                                                   message: "\(month) is already computed: \(list); a month is paid once (reject a batch to compute it again)"))
        }
        guard !drafts.isEmpty else {
            throw Refusal("allowances", BrokenRule(field: "month", rule: "NOTHING_TO_PAY", kind: .state, message: "duty reports no activities or shifts in \(month)"))
        }
        var needed: [String: Int64] = [:]
        for draft in drafts {
            for line in draft.lines { needed[line.budgetLine, default: 0] += line.amount.fen }
        }
        var rules: [BrokenRule] = []
        for (code, fen) in needed.sorted(by: { $0.key < $1.key }) {
            guard let account = try account(db, code: code) else {
                rules.append(BrokenRule(field: "month", rule: "BUDGET_LINE_MISSING", kind: .state, message: "no budget line \(code); \(Money(fen: fen)) is needed"))
                continue
            }
            if account.available.fen < fen {
                rules.append(BrokenRule(field: "month", rule: "EXCEEDS_CREDITS", kind: .state,
                                        message: "\(code) has \(account.available) available; the month needs \(Money(fen: fen))"))
            }
        }
        guard rules.isEmpty else { throw Refusal("allowances", rules) }
        let now = ServiceDatabase.timestamp()
        var nextID = try nextServiceTransferID(db)
        var ids: [Int64] = []
        for draft in drafts {
            try db.execute(sql: """
                INSERT INTO allowance_batches (month, funder, status, total, computed_by, computed_at) VALUES (?, ?, 'reserved', ?, ?, ?)
                """, arguments: [month.description, draft.funder, draft.total.fen, actor, now])
            let batchID = db.lastInsertedRowID
            for line in draft.lines {
                let category = line.budgetLine.split(separator: "/").last.map(String.init) ?? ""
                let expense = LedgerCodes.expense(BudgetCategory(rawValue: category) ?? .activitySubsidy)
                if try account(db, code: expense) == nil {
                    try db.execute(sql: "INSERT INTO accounts (code, name, kind, flags, created_at) VALUES (?, ?, 'expense', 0, ?)", arguments: [expense, category, now])
                }
                let transfer = TransferDraft(id: nextID, debitAccount: line.budgetLine, creditAccount: expense, amount: line.amount, kind: .pending(expiresAt: nil),
                                             memo: "allowance \(month) batch \(batchID) volunteer \(line.volunteerID) \(line.rate.kind.rawValue) × \(line.quantity)",
                                             rateID: line.rate.id)
                let outcome = try applyOne(transfer, db, now: now, actor: actor)
                guard outcome == .created else {
                    // The totals were checked above inside this transaction, so this is a defect.
                    throw Refusal("allowances", BrokenRule(field: "month", rule: "RESERVATION_REFUSED", kind: .state, message: "volunteer \(line.volunteerID): \(outcome)"))
                }
                try db.cachedStatement(sql: """
                    INSERT INTO allowance_lines (batch_id, volunteer_id, unit_code, rate_id, quantity, amount, transfer_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [batchID, line.volunteerID, line.unitCode, line.rate.id, line.quantity, line.amount.fen, nextID])
                nextID += 1
            }
            try feedBatch(db, id: batchID, actor: actor)
            try AuditLog.append(db, actor: actor, action: "finance.reserveAllowances",
                                target: "batch \(batchID): \(month) \(draft.funder) \(draft.lines.count) lines \(draft.total)", requestID: requestID)
            ids.append(batchID)
        }
        return ids
    }

    /// Approves a reserved batch. The approver is not the person who computed it; approving
    /// again by the same approver (even once it is posted) answers the batch as it is.
    ///
    /// - Throws: a `Refusal`: FOUR_EYES (PERMISSION_DENIED), BATCH_NOT_FOUND, BATCH_STATE.
    public func approveBatch(_ id: Int64, actor: String, requestID: String) async throws -> AllowanceBatch {
        try await writer.write { db in
            let batch = try Self.batch(db, id)
            // A retry: the same approver's approval stands, whatever happened since.
            if batch.approvedBy == actor { return batch }
            guard batch.status == .reserved else { throw Self.stateRefusal(batch, "approved") }
            guard batch.computedBy != actor else {
                throw Refusal("batch", BrokenRule(field: "id", rule: "FOUR_EYES", kind: .forbidden,
                                                  message: "batch \(id) was computed by \(actor); another person approves it"))
            }
            try db.execute(sql: "UPDATE allowance_batches SET status = 'approved', approved_by = ?, approved_at = ? WHERE id = ?",
                           arguments: [actor, ServiceDatabase.timestamp(), id])
            try Self.feedBatch(db, id: id, actor: actor)
            try AuditLog.append(db, actor: actor, action: "finance.approveBatch", target: "batch \(id): \(batch.month) \(batch.funder) \(batch.total)", requestID: requestID)
            return try Self.batch(db, id)
        }
    }

    /// Posts an approved batch: every line's reservation becomes a payment, in one
    /// transaction, so a crash leaves all of it posted or none. Posting again answers the
    /// batch as it is.
    public func postBatch(_ id: Int64, actor: String, requestID: String) async throws -> AllowanceBatch {
        try await resolve(id, to: .posted, actor: actor, requestID: requestID, reason: nil)
    }

    /// Rejects a batch that is not posted: its reservations are voided and its month can be
    /// computed again. A posted batch is corrected by reversing transfers instead.
    public func rejectBatch(_ id: Int64, reason: String, actor: String, requestID: String) async throws -> AllowanceBatch {
        try await resolve(id, to: .rejected, actor: actor, requestID: requestID, reason: reason)
    }

    func resolve(_ id: Int64, to status: BatchStatus, actor: String, requestID: String, reason: String?) async throws -> AllowanceBatch {
        try await writer.write { db in
            let batch = try Self.batch(db, id)
            if batch.status == status { return batch }
            let allowed: Set<BatchStatus> = status == .posted ? [.approved] : [.reserved, .approved]
            guard allowed.contains(batch.status) else { throw Self.stateRefusal(batch, status.rawValue) }
            let now = ServiceDatabase.timestamp()
            var nextID = try Self.nextServiceTransferID(db)
            let lines = try Row.fetchAll(db, sql: """
                SELECT l.transfer_id, l.amount, d.code, c.code FROM allowance_lines l JOIN transfers t ON t.id = l.transfer_id
                JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id WHERE l.batch_id = ? ORDER BY l.transfer_id
                """, arguments: [id])
            for line in lines {
                let pendingID: Int64 = line[0]
                let draft = TransferDraft(id: nextID, debitAccount: line[2], creditAccount: line[3], amount: Money(fen: line[1]),
                                          kind: status == .posted ? .post(pendingID: pendingID) : .void(pendingID: pendingID),
                                          memo: "allowance batch \(id) \(status == .posted ? "posted" : "rejected")")
                let outcome = try Self.applyOne(draft, db, now: now, actor: actor)
                guard outcome == .created else {
                    throw Refusal("batch", BrokenRule(field: "id", rule: "RESERVATION_REFUSED", kind: .state, message: "transfer \(pendingID): \(outcome)"))
                }
                nextID += 1
            }
            if status == .posted {
                try db.execute(sql: "UPDATE allowance_batches SET status = 'posted', posted_by = ?, posted_at = ? WHERE id = ?", arguments: [actor, now, id])
            } else {
                try db.execute(sql: "UPDATE allowance_batches SET status = 'rejected', rejected_by = ?, rejected_at = ?, reason = ? WHERE id = ?",
                               arguments: [actor, now, reason, id])
            }
            try Self.feedBatch(db, id: id, actor: actor)
            try AuditLog.append(db, actor: actor, action: status == .posted ? "finance.postBatch" : "finance.rejectBatch",
                                target: "batch \(id): \(batch.month) \(batch.funder) \(batch.total) (\(lines.count) lines)", requestID: requestID)
            return try Self.batch(db, id)
        }
    }

    /// The batches of a month (nil: every month), newest month first.
    public func allowanceBatches(month: String?) async throws -> [AllowanceBatch] {
        try await writer.read { db in
            if let month { return try Self.batches(db, where: "b.month = ?", [month]) }
            return try Self.batches(db, where: "1 = 1", [])
        }
    }

    public func allowanceBatch(_ id: Int64) async throws -> AllowanceBatch {
        try await writer.read { db in try Self.batch(db, id) }
    }

    /// A batch's lines, by volunteer.
    /// A batch's lines, by volunteer: every line of the first `volunteers` volunteers after
    /// volunteer `after` (a range of the lines' primary key).
    public func allowanceLines(batch id: Int64, after: Int64, volunteers: Int) async throws -> [AllowanceLineRecord] {
        try await writer.read { db in
            _ = try Self.batch(db, id)
            return try Self.lines(db, where: """
                l.batch_id = ? AND l.volunteer_id > ? AND l.volunteer_id <= COALESCE((
                    SELECT MAX(volunteer_id) FROM (SELECT DISTINCT volunteer_id FROM allowance_lines
                                                   WHERE batch_id = ? AND volunteer_id > ? ORDER BY volunteer_id LIMIT ?)), 0)
                """, [id, after, id, after, volunteers])
        }
    }

    /// What a volunteer has been paid and has reserved, month by month (rejected batches left out).
    public func payments(volunteerID: Int64) async throws -> [AllowanceLineRecord] {
        try await writer.read { db in try Self.lines(db, where: "l.volunteer_id = ? AND b.status != 'rejected'", [volunteerID]) }
    }

    /// Transfer ids from 2^62 up are the service's own (allowance reservations and their
    /// resolution); callers' ids are below, so the two never meet.
    static func nextServiceTransferID(_ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM transfers WHERE id >= ?", arguments: [TransferDraft.firstServiceID])
        return (last ?? TransferDraft.firstServiceID - 1) + 1
    }

    static func stateRefusal(_ batch: AllowanceBatch, _ wanted: String) -> Refusal {
        Refusal("batch", BrokenRule(field: "id", rule: "BATCH_STATE", kind: .state,
                                    message: "batch \(batch.id) is \(batch.status.rawValue); it cannot be \(wanted)"))
    }

    static func batch(_ db: Database, _ id: Int64) throws -> AllowanceBatch {
        guard let batch = try batches(db, where: "b.id = ?", [id]).first else {
            throw Refusal("batch", BrokenRule(field: "id", rule: "BATCH_NOT_FOUND", kind: .missing, message: "no allowance batch \(id)"))
        }
        return batch
    }

    static func batches(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [AllowanceBatch] {
        try Row.fetchAll(db, sql: """
            SELECT b.id, b.month, b.funder, b.status, b.total, b.computed_by, b.approved_by, b.posted_by, b.rejected_by, b.reason,
                   (SELECT COUNT(*) FROM allowance_lines l WHERE l.batch_id = b.id),
                   (SELECT COUNT(DISTINCT volunteer_id) FROM allowance_lines l WHERE l.batch_id = b.id)
            FROM allowance_batches b WHERE \(condition) ORDER BY b.month DESC, b.funder, b.id
            """, arguments: arguments).map { row in
            AllowanceBatch(id: row[0], month: row[1], funder: row[2], status: BatchStatus(rawValue: row[3]) ?? .reserved, total: Money(fen: row[4]),
                           lines: row[10], volunteers: row[11], computedBy: row[5], approvedBy: row[6], postedBy: row[7], rejectedBy: row[8], reason: row[9])
        }
    }

    static func lines(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [AllowanceLineRecord] {
        try Row.fetchAll(db, sql: """
            SELECT l.batch_id, b.month, b.funder, b.status, l.volunteer_id, l.unit_code, r.id, r.kind, r.amount, r.valid_from, r.note, l.quantity, l.amount
            FROM allowance_lines l JOIN allowance_batches b ON b.id = l.batch_id JOIN rates r ON r.id = l.rate_id
            WHERE \(condition) ORDER BY b.month DESC, l.volunteer_id, l.batch_id, r.valid_from
            """, arguments: arguments).map { row in
            AllowanceLineRecord(batchID: row[0], month: row[1], funder: row[2], status: BatchStatus(rawValue: row[3]) ?? .reserved, volunteerID: row[4],
                                unitCode: row[5],
                                rate: RateRecord(id: row[6], kind: RateKind(rawValue: row[7]) ?? .activitySubsidy, amount: Money(fen: row[8]),
                                                 validFrom: CalendarDay(iso: row[9] as String)!, note: row[10]),
                                quantity: row[11], amount: Money(fen: row[12]))
        }
    }
}

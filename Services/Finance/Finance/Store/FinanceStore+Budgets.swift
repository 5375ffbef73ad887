import GRDB
import PinganCampaign
import PinganFinanceContracts
import PinganRules
import PinganStore

/// An expense standard in force from its day.
public struct RateRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: RateKind
    public var amount: Money
    public var validFrom: CalendarDay
    public var note: String
}

extension FinanceStore {
    /// Opens a funder's account (again: answered as it is).
    public func openFunder(code: String, name: String, kind: FunderKind, actor: String, requestID: String) async throws -> AccountRecord {
        let rules = LedgerCodes.codeRules(code, field: "code")
        guard rules.isEmpty else { throw Refusal("funder", rules) }
        return try await openAccount(code: LedgerCodes.funder(code), name: name, kind: "funder/\(kind.rawValue)", limit: .none, actor: actor, requestID: requestID)
    }

    /// Grants `amount` from the funder to its budget line for the year (the line is opened on
    /// first use and can never go below zero). `transferID` makes a retry harmless.
    public func grant(_ amount: Money, funder: String, year: Int, category: BudgetCategory, transferID: Int64, memo: String,
                      actor: String, requestID: String) async throws -> TransferOutcome {
        guard try await account(code: LedgerCodes.funder(funder)) != nil else {
            throw Refusal("budget", BrokenRule(field: "funder", rule: "UNKNOWN_FUNDER", kind: .missing, message: "no funder \(funder)"))
        }
        guard (2000...2100).contains(year) else { throw Refusal("budget", BrokenRule(field: "year", rule: "YEAR", message: "\(year) is not a budget year")) }
        let line = LedgerCodes.line(funder: funder, year: year, category)
        _ = try await openAccount(code: line, name: "\(funder) \(year) \(category.rawValue)", kind: "budget_line", limit: .debitsWithinCredits,
                                  actor: actor, requestID: requestID)
        _ = try await openAccount(code: LedgerCodes.expense(category), name: category.rawValue, kind: "expense", limit: .none, actor: actor, requestID: requestID)
        let draft = TransferDraft(id: transferID, debitAccount: LedgerCodes.funder(funder), creditAccount: line, amount: amount, memo: memo)
        return try await createTransfers([draft], actor: actor, requestID: requestID)[0]
    }

    /// Adds an expense standard from `validFrom`; an earlier one of the kind stays in force
    /// before that day, and postings keep the rate they used.
    ///
    /// - Throws: a `Refusal` (RATE_EXISTS) for a second rate of the kind on the same day.
    public func addRate(_ kind: RateKind, amount: Money, validFrom: CalendarDay, note: String, actor: String, requestID: String) async throws -> RateRecord {
        guard amount.fen > 0 else { throw Refusal("rate", BrokenRule(field: "amount", rule: "AMOUNT", message: "\(amount) is not above zero")) }
        return try await writer.write { db in
            if let existing = try Self.rates(db, where: "kind = ? AND valid_from = ?", [kind.rawValue, validFrom.description]).first {
                guard existing.amount == amount else {
                    throw Refusal("rate", BrokenRule(field: "validFrom", rule: "RATE_EXISTS", kind: .duplicate,
                                                     message: "\(kind.rawValue) from \(validFrom) is already \(existing.amount); a change starts on a later day"))
                }
                return existing
            }
            try db.execute(sql: "INSERT INTO rates (kind, amount, valid_from, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [kind.rawValue, amount.fen, validFrom.description, note, actor, ServiceDatabase.timestamp()])
            let id = db.lastInsertedRowID
            try AuditLog.append(db, actor: actor, action: "finance.addRate", target: "rate \(id): \(kind.rawValue) \(amount) from \(validFrom)", requestID: requestID)
            return try Self.rates(db, where: "id = ?", [id])[0]
        }
    }

    /// The standard of `kind` in force on `day`: the latest that started on or before it.
    public func rate(_ kind: RateKind, on day: CalendarDay) async throws -> RateRecord? {
        try await writer.read { db in
            try Self.rates(db, where: "kind = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1", [kind.rawValue, day.description]).first
        }
    }

    static func rates(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [RateRecord] {
        try Row.fetchAll(db, sql: "SELECT id, kind, amount, valid_from, note FROM rates WHERE \(condition)", arguments: arguments).map { row in
            RateRecord(id: row[0], kind: RateKind(rawValue: row[1]) ?? .activitySubsidy, amount: Money(fen: row[2]),
                       validFrom: CalendarDay(iso: row[3] as String)!, note: row[4])
        }
    }
}

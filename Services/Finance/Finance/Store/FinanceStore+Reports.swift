import GRDB
import PinganFinanceContracts

/// A budget line's use: granted, spent (posted), reserved (pending) and what remains.
public struct BudgetLineUse: Sendable, Hashable {
    public var code: String
    public var funder: String
    public var year: Int
    public var category: String
    public var granted: Money
    public var spent: Money
    public var reserved: Money

    public var remaining: Money { Money(fen: granted.fen - spent.fen - reserved.fen) }
}

/// Allowances of one unit in one month from one funder: reserved (not yet posted) and paid.
public struct UnitMonthUse: Sendable, Hashable {
    public var month: String
    public var unitCode: String
    public var funder: String
    public var volunteers: Int
    public var reserved: Money
    public var paid: Money
}

extension FinanceStore {
    /// Every budget line of a year (nil: every year), by code.
    public func budgetUse(year: Int?) async throws -> [BudgetLineUse] {
        try await writer.read { db in
            try Self.accounts(db, where: "kind = 'budget_line'", []).compactMap { account -> BudgetLineUse? in
                let parts = account.code.split(separator: "/").map(String.init)
                guard parts.count == 4, let lineYear = Int(parts[2]), year == nil || year == lineYear else { return nil }
                return BudgetLineUse(code: account.code, funder: parts[1], year: lineYear, category: parts[3], granted: account.creditsPosted,
                                     spent: account.debitsPosted, reserved: account.debitsPending)
            }
        }
    }

    /// Allowances per month, unit and funder (rejected batches left out); `month` nil: every month.
    public func allowanceUse(month: String?) async throws -> [UnitMonthUse] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.month, l.unit_code, b.funder, COUNT(DISTINCT l.volunteer_id),
                       SUM(CASE WHEN b.status = 'posted' THEN 0 ELSE l.amount END), SUM(CASE WHEN b.status = 'posted' THEN l.amount ELSE 0 END)
                FROM allowance_lines l JOIN allowance_batches b ON b.id = l.batch_id
                WHERE b.status != 'rejected' AND (? IS NULL OR b.month = ?)
                GROUP BY b.month, l.unit_code, b.funder ORDER BY b.month DESC, l.unit_code, b.funder
                """, arguments: [month, month]).map { row in
                UnitMonthUse(month: row[0], unitCode: row[1], funder: row[2], volunteers: row[3], reserved: Money(fen: row[4]), paid: Money(fen: row[5]))
            }
        }
    }
}

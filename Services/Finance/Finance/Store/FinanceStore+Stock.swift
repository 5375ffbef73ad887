import GRDB
import PinganFinanceContracts
import PinganRules
import PinganStore

extension FinanceStore {
    /// Buys `quantity` of an item into a store room, paid from the funder's equipment line for
    /// the year: the payment (the caller's transfer id) and the stock move in one transaction,
    /// or neither - a purchase the line cannot pay adds nothing to the room.
    public func purchase(_ item: InsigniaItem, quantity: Int, room: String, unitPrice: Money, funder: String, year: Int, transferID: Int64,
                         actor: String, requestID: String) async throws -> TransferOutcome {
        guard quantity > 0, quantity <= 100_000 else {
            throw Refusal("purchase", BrokenRule(field: "quantity", rule: "QUANTITY", message: "\(quantity) is not 1-100,000"))
        }
        let (total, overflow) = unitPrice.fen.multipliedReportingOverflow(by: Int64(quantity))
        guard unitPrice.fen > 0, !overflow else {
            throw Refusal("purchase", BrokenRule(field: "unitPrice", rule: "PRICE", message: "\(unitPrice) × \(quantity) is not a payable amount"))
        }
        let line = LedgerCodes.line(funder: funder, year: year, .equipment)
        _ = try await openAccount(code: LedgerCodes.expense(.equipment), name: BudgetCategory.equipment.rawValue, kind: "expense", limit: .none,
                                  actor: actor, requestID: requestID)
        let draft = TransferDraft(id: transferID, debitAccount: line, creditAccount: LedgerCodes.expense(.equipment), amount: Money(fen: total),
                                  memo: "购入 \(item.rawValue) × \(quantity) 入 \(room)")
        return try await writer.write { db in
            let outcome = try Self.applyBatch([draft], db, now: ServiceDatabase.timestamp(), actor: actor, requestID: requestID)[0]
            // A retried purchase (the same transfer id) moved its stock the first time.
            guard outcome == .created else { return outcome }
            try db.execute(sql: """
                INSERT INTO stock_movements (item, room, kind, quantity, transfer_id, note, actor, created_at) VALUES (?, ?, 'purchase', ?, ?, '', ?, ?)
                """, arguments: [item.rawValue, room, quantity, transferID, actor, ServiceDatabase.timestamp()])
            return outcome
        }
    }

    /// Issues items to a volunteer or a team, returns them, or writes a loss off the room.
    ///
    /// - Throws: a `Refusal` (STOCK_SHORT, naming what is on hand) when the room has too few.
    public func moveStock(_ item: InsigniaItem, quantity: Int, room: String, kind: StockMovement, note: String,
                          actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws {
        guard quantity > 0, quantity <= 100_000 else {
            throw Refusal("stock", BrokenRule(field: "quantity", rule: "QUANTITY", message: "\(quantity) is not 1-100,000"))
        }
        try await writer.write { db in
            try IdempotencyKey.once(db, idempotency, encode: { "moved" }, decode: { _ in () }) {
                try Self.move(item, quantity: quantity, room: room, kind: kind, note: note, db, actor: actor, requestID: requestID)
            }
        }
    }

    static func move(_ item: InsigniaItem, quantity: Int, room: String, kind: StockMovement, note: String, _ db: Database,
                     actor: String, requestID: String) throws {
        var volunteer: Int64?, team: Int64?
        switch kind.holder {
        case .volunteer(let id)?: volunteer = id
        case .team(let id)?: team = id
        case nil: break
        }
        if case .giveBack = kind {
            let held = try Int.fetchOne(db, sql: """
                SELECT COALESCE(SUM(CASE kind WHEN 'issue' THEN quantity ELSE -quantity END), 0) FROM stock_movements
                WHERE item = ? AND kind IN ('issue', 'return') AND (volunteer_id = ? OR team_id = ?)
                """, arguments: [item.rawValue, volunteer, team]) ?? 0
            guard held >= quantity else {
                throw Refusal("stock", BrokenRule(field: "quantity", rule: "NOT_HELD", kind: .state,
                                                  message: "\(held) \(item.rawValue) issued and not returned; \(quantity) cannot come back"))
            }
        }
        do {
            try db.execute(sql: """
                INSERT INTO stock_movements (item, room, kind, quantity, volunteer_id, team_id, note, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [item.rawValue, room, kind.column, quantity, volunteer, team, note, actor, ServiceDatabase.timestamp()])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            let onHand = try Int.fetchOne(db, sql: "SELECT on_hand FROM stock WHERE item = ? AND room = ?", arguments: [item.rawValue, room]) ?? 0
            throw Refusal("stock", BrokenRule(field: "quantity", rule: "STOCK_SHORT", kind: .state,
                                              message: "\(room) has \(onHand) \(item.rawValue) on hand; \(quantity) asked"))
        }
        try AuditLog.append(db, actor: actor, action: "finance.stock.\(kind.column)", target: "\(item.rawValue) × \(quantity) \(room)", requestID: requestID)

    }

    /// On hand per room and item (nil: every room).
    public func stock(room: String?) async throws -> [StockLevel] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT room, item, on_hand FROM stock WHERE ? IS NULL OR room = ? ORDER BY room, item", arguments: [room, room]).compactMap { row in
                InsigniaItem(rawValue: row[1]).map { StockLevel(room: row[0], item: $0, onHand: row[2]) }
            }
        }
    }

    /// What a room has on hand, by item.
    public func onHand(room: String) async throws -> [InsigniaItem: Int] {
        try await writer.read { db in
            var stock: [InsigniaItem: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT item, on_hand FROM stock WHERE room = ?", arguments: [room]) {
                if let item = InsigniaItem(rawValue: row[0]) { stock[item] = row[1] }
            }
            return stock
        }
    }

    /// A volunteer's kit: issued less returned, by item.
    public func kit(volunteerID: Int64) async throws -> [InsigniaItem: Int] {
        try await writer.read { db in
            var kit: [InsigniaItem: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT item, SUM(CASE kind WHEN 'issue' THEN quantity ELSE -quantity END) FROM stock_movements
                WHERE volunteer_id = ? AND kind IN ('issue', 'return') GROUP BY item
                """, arguments: [volunteerID]) {
                if let item = InsigniaItem(rawValue: row[0]), (row[1] as Int) != 0 { kit[item] = row[1] }
            }
            return kit
        }
    }
}

/// What a room has of an item.
public struct StockLevel: Sendable, Hashable {
    public var room: String
    public var item: InsigniaItem
    public var onHand: Int
}

/// A movement of stock other than a purchase.
public enum StockMovement: Sendable, Hashable {
    case issue(to: Holder)
    case giveBack(from: Holder)
    case loss

    var column: String {
        switch self {
        case .issue: "issue"
        case .giveBack: "return"
        case .loss: "loss"
        }
    }

    var holder: Holder? {
        switch self {
        case .issue(let holder), .giveBack(let holder): holder
        case .loss: nil
        }
    }
}

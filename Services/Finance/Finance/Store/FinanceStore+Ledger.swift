import GRDB
import PinganFinanceContracts
import PinganRules
import PinganStore

/// An account as the ledger keeps it: what has moved through it, posted and reserved.
public struct AccountRecord: Sendable, Hashable {
    public enum Limit: Int, Sendable {
        case none = 0
        /// Debits never exceed credits: a budget line cannot go below zero.
        case debitsWithinCredits = 1
        /// Credits never exceed debits.
        case creditsWithinDebits = 2
    }

    public var id: Int64
    public var code: String
    public var name: String
    public var kind: String
    public var limit: Limit
    public var debitsPosted: Money
    public var creditsPosted: Money
    public var debitsPending: Money
    public var creditsPending: Money

    /// What may still be debited from an account whose debits stay within its credits.
    public var available: Money { Money(fen: creditsPosted.fen - debitsPosted.fen - debitsPending.fen) }
}

extension FinanceStore {
    /// Opens an account, or answers the one with this code if its name, kind and limit are the
    /// same (so set-up can be run again).
    ///
    /// - Throws: a `Refusal` (ACCOUNT_EXISTS) for the code of a different account.
    public func openAccount(code: String, name: String, kind: String, limit: AccountRecord.Limit,
                            actor: String, requestID: String) async throws -> AccountRecord {
        try await writer.write { db in
            if let existing = try Self.account(db, code: code) {
                guard existing.name == name, existing.kind == kind, existing.limit == limit else {
                    throw Refusal("account", BrokenRule(field: "code", rule: "ACCOUNT_EXISTS", kind: .duplicate,
                                                        message: "account \(code) exists as \(existing.kind) '\(existing.name)'"))
                }
                return existing
            }
            try db.execute(sql: "INSERT INTO accounts (code, name, kind, flags, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [code, name, kind, limit.rawValue, ServiceDatabase.timestamp()])
            try AuditLog.append(db, actor: actor, action: "finance.openAccount", target: "account \(code) (\(kind))", requestID: requestID)
            return try Self.account(db, code: code)!
        }
    }

    /// The accounts whose code starts with `codePrefix` (empty: all), by code.
    public func accounts(codePrefix: String) async throws -> [AccountRecord] {
        try await writer.read { db in
            try Self.accounts(db, where: "substr(code, 1, ?) = ?", [codePrefix.count, codePrefix])
        }
    }

    public func account(code: String) async throws -> AccountRecord? {
        try await writer.read { db in try Self.account(db, code: code) }
    }

    /// Applies a batch of transfers in one transaction, each linked chain as one: every event
    /// gets its outcome, a refused one its rule and why. The store's constraints decide what
    /// an overspend is, so concurrent batches can never together overspend.
    public func createTransfers(_ drafts: [TransferDraft], now: String = ServiceDatabase.timestamp(),
                                actor: String, requestID: String) async throws -> [TransferOutcome] {
        try await writer.write { db in try Self.applyBatch(drafts, db, now: now, actor: actor, requestID: requestID) }
    }

    /// One caller's batch in a group.
    public struct TransferBatch: Sendable {
        public var drafts: [TransferDraft]
        public var actor: String
        public var requestID: String

        public init(drafts: [TransferDraft], actor: String, requestID: String) {
            self.drafts = drafts
            self.actor = actor
            self.requestID = requestID
        }
    }

    /// Several callers' batches in one write transaction (group commit: one sync for all of
    /// them); each is answered as if it had been alone.
    public func createTransfers(group batches: [TransferBatch], now: String = ServiceDatabase.timestamp()) async throws -> [[TransferOutcome]] {
        try await writer.write { db in
            try batches.map { try Self.applyBatch($0.drafts, db, now: now, actor: $0.actor, requestID: $0.requestID) }
        }
    }

    static func applyBatch(_ drafts: [TransferDraft], _ db: Database, now: String, actor: String, requestID: String) throws -> [TransferOutcome] {
        var outcomes: [TransferOutcome] = []
        var chain: [TransferDraft] = []
        for draft in drafts {
            chain.append(draft)
            guard !draft.linked else { continue }
            outcomes += try apply(chain, db, now: now, actor: actor)
            chain = []
        }
        if !chain.isEmpty {
            // A chain left open at the end of the batch is refused whole, as TigerBeetle does.
            outcomes += chain.indices.map { index in
                index == chain.count - 1
                    ? .refused(rule: "LINKED_EVENT_CHAIN_OPEN", message: "the batch ends inside a linked chain: the last transfer must not be linked")
                    : .linkedEventFailed
            }
        }
        let created = outcomes.count { $0 == .created }
        let refused = outcomes.count { !$0.succeeded }
        try AuditLog.append(db, actor: actor, action: "finance.createTransfers",
                            target: "\(drafts.count) transfers: \(created) created, \(refused) refused", requestID: requestID)
        return outcomes
    }

    /// One chain inside a savepoint: all applied, or none and the outcomes say which failed.
    static func apply(_ chain: [TransferDraft], _ db: Database, now: String, actor: String) throws -> [TransferOutcome] {
        var outcomes: [TransferOutcome] = []
        try db.inSavepoint {
            for draft in chain {
                let outcome = try applyOne(draft, db, now: now, actor: actor)
                outcomes.append(outcome)
                if !outcome.succeeded {
                    let failed = outcomes.count - 1
                    outcomes = chain.indices.map { $0 == failed ? outcome : .linkedEventFailed }
                    return .rollback
                }
            }
            return .commit
        }
        return outcomes
    }

    static func applyOne(_ draft: TransferDraft, _ db: Database, now: String, actor: String) throws -> TransferOutcome {
        var draft = draft
        if let pendingID = draft.kind.pendingID, draft.debitAccount.isEmpty, draft.creditAccount.isEmpty {
            // As TigerBeetle: a post or void may leave the accounts (and a post its amount) to the reservation.
            guard let pending = try Row.fetchOne(db, sql: """
                SELECT d.code, c.code, t.amount FROM transfers t JOIN accounts d ON d.id = t.debit_account_id JOIN accounts c ON c.id = t.credit_account_id
                WHERE t.id = ? AND t.kind = 'pending'
                """, arguments: [pendingID]) else {
                return .refused(rule: "PENDING_TRANSFER_NOT_FOUND", message: "no pending transfer \(pendingID)")
            }
            draft.debitAccount = pending[0]
            draft.creditAccount = pending[1]
            if draft.amount.fen == 0 || draft.kind.column == "void_pending" { draft.amount = Money(fen: pending[2]) }
        }
        guard let debit = try account(db, code: draft.debitAccount) else {
            return .refused(rule: "DEBIT_ACCOUNT_NOT_FOUND", message: "no account \(draft.debitAccount)")
        }
        guard let credit = try account(db, code: draft.creditAccount) else {
            return .refused(rule: "CREDIT_ACCOUNT_NOT_FOUND", message: "no account \(draft.creditAccount)")
        }
        let lookup = try db.cachedStatement(sql: """
            SELECT debit_account_id, credit_account_id, amount, kind, pending_id, expires_at, reverses_id, memo, rate_id FROM transfers WHERE id = ?
            """)
        if let existing = try Row.fetchOne(lookup, arguments: [draft.id]) {
            var expiresAt: String?
            if case .pending(let expiry) = draft.kind { expiresAt = expiry }
            let same = existing[0] == debit.id && existing[1] == credit.id && existing[2] == draft.amount.fen && existing[3] == draft.kind.column
                && existing[4] == draft.kind.pendingID && existing[5] == expiresAt && existing[6] == draft.reverses && existing[7] == draft.memo
                && existing[8] == draft.rateID
            return same ? .exists : .refused(rule: "EXISTS_WITH_DIFFERENT_FIELDS", message: "transfer \(draft.id) exists with other fields")
        }
        if let rateID = draft.rateID, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM rates WHERE id = ?)", arguments: [rateID]) != true {
            return .refused(rule: "RATE_NOT_FOUND", message: "no expense standard \(rateID)")
        }
        guard draft.amount.fen > 0 else { return .refused(rule: "AMOUNT_MUST_BE_POSITIVE", message: "\(draft.amount) is not above zero") }
        guard debit.id != credit.id else { return .refused(rule: "ACCOUNTS_MUST_BE_DIFFERENT", message: "\(debit.code) on both sides") }
        var expiresAt: String?
        switch draft.kind {
        case .posted:
            break
        case .pending(let expiry):
            expiresAt = expiry
        case .post(let pendingID), .void(let pendingID):
            guard let pending = try Row.fetchOne(db, sql: "SELECT amount, expires_at FROM transfers WHERE id = ? AND kind = 'pending'", arguments: [pendingID]) else {
                return .refused(rule: "PENDING_TRANSFER_NOT_FOUND", message: "no pending transfer \(pendingID)")
            }
            if let resolution = try String.fetchOne(db, sql: "SELECT kind FROM transfers WHERE pending_id = ?", arguments: [pendingID]) {
                return .refused(rule: "PENDING_TRANSFER_ALREADY_RESOLVED",
                                message: "pending transfer \(pendingID) was already \(resolution == "post_pending" ? "posted" : "voided")")
            }
            if case .post = draft.kind, let expiry = pending["expires_at"] as String?, expiry <= now {
                return .refused(rule: "PENDING_TRANSFER_EXPIRED", message: "pending transfer \(pendingID) expired at \(expiry); it can only be voided")
            }
        }
        if let reversed = draft.reverses {
            guard let original = try Row.fetchOne(db, sql: "SELECT debit_account_id, credit_account_id, amount FROM transfers WHERE id = ? AND kind IN ('posted', 'post_pending')",
                                                  arguments: [reversed]),
                  original[0] == credit.id, original[1] == debit.id, original[2] == draft.amount.fen else {
                return .refused(rule: "REVERSAL_MISMATCH", message: "transfer \(reversed) is not a posted transfer of \(draft.amount) from \(draft.creditAccount) to \(draft.debitAccount)")
            }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM transfers WHERE reverses_id = ?)", arguments: [reversed]) == true {
                return .refused(rule: "ALREADY_REVERSED", message: "transfer \(reversed) was already reversed")
            }
        }
        do {
            try db.cachedStatement(sql: """
                INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, kind, pending_id, expires_at, reverses_id, memo, actor, created_at, rate_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [draft.id, debit.id, credit.id, draft.amount.fen, draft.kind.column, draft.kind.pendingID, expiresAt, draft.reverses,
                                 draft.memo, actor, now, draft.rateID])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The accounts' CHECKs: the only constraint left that the checks above do not cover.
            let fresh = try account(db, code: debit.code)!
            if debit.limit == .debitsWithinCredits {
                return .refused(rule: "EXCEEDS_CREDITS",
                                message: "\(debit.code) has \(fresh.available) available (\(fresh.debitsPending) reserved); \(draft.amount) would overspend it")
            }
            return .refused(rule: "EXCEEDS_DEBITS", message: "\(credit.code) may not be credited \(draft.amount) beyond its debits (\(error.message ?? ""))")
        }
        try feedTransfer(db, draft, actor: actor)
        return .created
    }

    /// Every account, and the sums of posted debits and credits (equal in a sound ledger).
    public func trialBalance() async throws -> (accounts: [AccountRecord], debits: Money, credits: Money) {
        try await writer.read { db in
            let accounts = try Self.accounts(db, where: "1 = 1", [])
            return (accounts, Money(fen: accounts.reduce(0) { $0 + $1.debitsPosted.fen }), Money(fen: accounts.reduce(0) { $0 + $1.creditsPosted.fen }))
        }
    }

    /// The accounts whose stored balances differ from what their transfers add up to: an
    /// auditor's check that nothing moved a balance but a transfer.
    public func unexplainedBalances() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT a.code FROM accounts a WHERE
                  a.debits_posted != (SELECT COALESCE(SUM(t.amount), 0) FROM transfers t WHERE t.debit_account_id = a.id AND t.kind IN ('posted', 'post_pending'))
                  OR a.credits_posted != (SELECT COALESCE(SUM(t.amount), 0) FROM transfers t WHERE t.credit_account_id = a.id AND t.kind IN ('posted', 'post_pending'))
                  OR a.debits_pending != (SELECT COALESCE(SUM(p.amount), 0) FROM transfers p WHERE p.debit_account_id = a.id AND p.kind = 'pending'
                                            AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = p.id))
                  OR a.credits_pending != (SELECT COALESCE(SUM(p.amount), 0) FROM transfers p WHERE p.credit_account_id = a.id AND p.kind = 'pending'
                                            AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = p.id))
                ORDER BY a.code
                """)
        }
    }

    /// One account by code, through a cached statement: every transfer looks up two.
    static func account(_ db: Database, code: String) throws -> AccountRecord? {
        let statement = try db.cachedStatement(sql: """
            SELECT id, code, name, kind, flags, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE code = ?
            """)
        return try Row.fetchOne(statement, arguments: [code]).map(record)
    }

    static func accounts(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [AccountRecord] {
        try Row.fetchAll(db, sql: """
            SELECT id, code, name, kind, flags, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE \(condition) ORDER BY code
            """, arguments: arguments).map(record)
    }

    static func record(_ row: Row) -> AccountRecord {
        AccountRecord(id: row[0], code: row[1], name: row[2], kind: row[3], limit: AccountRecord.Limit(rawValue: row[4]) ?? .none,
                      debitsPosted: Money(fen: row[5]), creditsPosted: Money(fen: row[6]), debitsPending: Money(fen: row[7]),
                      creditsPending: Money(fen: row[8]))
    }
}

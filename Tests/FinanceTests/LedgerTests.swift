@testable import Finance
import Foundation
import GRDB
import PinganFinanceContracts
import PinganRules
import PinganStore
import Testing

/// The ledger's guarantees, held by the store: transfers are immutable and never deleted, a
/// budget line never goes below zero however many spend at once, a transfer id is applied once,
/// a reservation is posted or voided exactly once, a linked chain is all or nothing.
@Suite("Finance: the ledger")
struct LedgerTests {
    struct Fixture {
        var store: FinanceStore
        var path: String
    }

    /// A store on a real WAL file with a funder, a budget line of `budget` fen and an expense account.
    static func fixture(budget: Int64 = 10_000) async throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("finance-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("finance.sqlite").path
        let store = try FinanceStore.open(path: path)
        _ = try await store.openAccount(code: "FUNDER/TOWN", name: "镇财政", kind: "funder", limit: .none, actor: "t", requestID: "r")
        _ = try await store.openAccount(code: "LINE/TOWN/2010/equipment", name: "装备费", kind: "budget_line", limit: .debitsWithinCredits, actor: "t", requestID: "r")
        _ = try await store.openAccount(code: "EXPENSE/equipment", name: "装备支出", kind: "expense", limit: .none, actor: "t", requestID: "r")
        let funded = try await store.createTransfers([Self.transfer(1, "FUNDER/TOWN", "LINE/TOWN/2010/equipment", budget, memo: "2010年预算")],
                                                     actor: "t", requestID: "r")
        #expect(funded == [.created])
        return Fixture(store: store, path: path)
    }

    static func transfer(_ id: Int64, _ debit: String, _ credit: String, _ fen: Int64, kind: TransferKind = .posted, reverses: Int64? = nil,
                         memo: String = "支出", linked: Bool = false) -> TransferDraft {
        TransferDraft(id: id, debitAccount: debit, creditAccount: credit, amount: Money(fen: fen), kind: kind, reverses: reverses, memo: memo, linked: linked)
    }

    static func spend(_ id: Int64, _ fen: Int64, kind: TransferKind = .posted, linked: Bool = false) -> TransferDraft {
        transfer(id, "LINE/TOWN/2010/equipment", "EXPENSE/equipment", fen, kind: kind, linked: linked)
    }

    @Test("a raw UPDATE or DELETE of a transfer, or a DELETE of an account, is refused by the file itself")
    func immutableInTheFile() async throws {
        let fixture = try await Self.fixture()
        let raw = try DatabaseQueue(path: fixture.path)
        defer { try? raw.close() }
        for sql in ["UPDATE transfers SET amount = 1", "DELETE FROM transfers", "DELETE FROM accounts"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try raw.write { try $0.execute(sql: sql) } }
        }
        #expect(try await fixture.store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 10_000))
        // A balance changed behind the ledger's back is caught by the audit check.
        try await raw.write { try $0.execute(sql: "UPDATE accounts SET credits_posted = credits_posted + 500 WHERE code = 'LINE/TOWN/2010/equipment'") }
        #expect(try await fixture.store.unexplainedBalances() == ["LINE/TOWN/2010/equipment"])
    }

    @Test("100 concurrent spends of ¥3.00 against ¥100.00: exactly 33 go through, the rest are told what is left; the ledger balances")
    func concurrentSpendsNeverOverspend() async throws {
        let fixture = try await Self.fixture()
        let outcomes = try await withThrowingTaskGroup(of: TransferOutcome.self) { group in
            for index in 0..<100 {
                group.addTask { try await fixture.store.createTransfers([Self.spend(Int64(100 + index), 300)], actor: "t", requestID: "r\(index)")[0] }
            }
            var outcomes: [TransferOutcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count { $0 == .created } == 33)
        let refusals = outcomes.compactMap { if case .refused(let rule, let message) = $0 { (rule, message) } else { nil } }
        #expect(refusals.count == 67 && refusals.allSatisfy { $0.0 == "EXCEEDS_CREDITS" && $0.1.contains("¥1.00 available") })
        let line = try #require(try await fixture.store.account(code: "LINE/TOWN/2010/equipment"))
        #expect(line.available == Money(fen: 100))
        let trial = try await fixture.store.trialBalance()
        #expect(trial.debits == trial.credits && trial.debits == Money(fen: 10_000 + 33 * 300))
        #expect(try await fixture.store.unexplainedBalances().isEmpty)
    }

    @Test("a transfer id is applied once: the same fields answer exists, other fields are refused")
    func idempotentIDs() async throws {
        let fixture = try await Self.fixture()
        #expect(try await fixture.store.createTransfers([Self.spend(7, 2_500)], actor: "t", requestID: "a") == [.created])
        #expect(try await fixture.store.createTransfers([Self.spend(7, 2_500)], actor: "t", requestID: "b") == [.exists])
        let other = try await fixture.store.createTransfers([Self.spend(7, 2_600)], actor: "t", requestID: "c")
        #expect(other.first.map { if case .refused("EXISTS_WITH_DIFFERENT_FIELDS", _) = $0 { true } else { false } } == true)
        #expect(try await fixture.store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 7_500))
    }

    @Test("two-phase: a reservation holds the money, is posted or voided exactly once, and once expired can only be voided")
    func twoPhase() async throws {
        let fixture = try await Self.fixture()
        let store = fixture.store
        #expect(try await store.createTransfers([Self.spend(10, 6_000, kind: .pending(expiresAt: nil))], actor: "t", requestID: "r") == [.created])
        #expect(try await store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 4_000))
        let over = try await store.createTransfers([Self.spend(11, 4_001)], actor: "t", requestID: "r")
        #expect(over.first.map { if case .refused("EXCEEDS_CREDITS", let message) = $0 { message.contains("¥60.00 reserved") } else { false } } == true)
        // Post less than reserved: the rest is released.
        #expect(try await store.createTransfers([Self.spend(12, 5_500, kind: .post(pendingID: 10))], actor: "t", requestID: "r") == [.created])
        #expect(try await store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 4_500))
        for (id, kind) in [(Int64(13), TransferKind.post(pendingID: 10)), (14, .void(pendingID: 10))] {
            let again = try await store.createTransfers([Self.spend(id, 100, kind: kind)], actor: "t", requestID: "r")
            #expect(again.first.map { if case .refused("PENDING_TRANSFER_ALREADY_RESOLVED", _) = $0 { true } else { false } } == true)
        }
        // An expired reservation: posting refused, voiding frees the money.
        _ = try await store.createTransfers([Self.spend(20, 1_000, kind: .pending(expiresAt: "2010-05-31T16:00:00Z"))], now: "2010-05-01T00:00:00Z",
                                            actor: "t", requestID: "r")
        let late = try await store.createTransfers([Self.spend(21, 1_000, kind: .post(pendingID: 20))], now: "2010-06-01T00:00:00Z", actor: "t", requestID: "r")
        #expect(late.first.map { if case .refused("PENDING_TRANSFER_EXPIRED", _) = $0 { true } else { false } } == true)
        #expect(try await store.createTransfers([Self.spend(22, 1_000, kind: .void(pendingID: 20))], actor: "t", requestID: "r") == [.created])
        #expect(try await store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 4_500))
        #expect(try await store.unexplainedBalances().isEmpty)
    }

    @Test("a post or void naming only the reservation takes its accounts, and its amount for a void or a post of 0")
    func resolveByReservationAlone() async throws {
        let fixture = try await Self.fixture()
        let store = fixture.store
        _ = try await store.createTransfers([Self.spend(40, 3_000, kind: .pending(expiresAt: nil)), Self.spend(41, 2_000, kind: .pending(expiresAt: nil))],
                                            actor: "t", requestID: "r")
        let bare = [Self.transfer(42, "", "", 0, kind: .post(pendingID: 40)), Self.transfer(43, "", "", 0, kind: .void(pendingID: 41))]
        #expect(try await store.createTransfers(bare, actor: "t", requestID: "r") == [.created, .created])
        #expect(try await store.createTransfers(bare, actor: "t", requestID: "r") == [.exists, .exists], "a retry of the same bare resolution")
        let line = try #require(try await store.account(code: "LINE/TOWN/2010/equipment"))
        #expect(line.debitsPosted == Money(fen: 3_000) && line.debitsPending == Money(fen: 0))
        let unknown = try await store.createTransfers([Self.transfer(44, "", "", 0, kind: .post(pendingID: 999))], actor: "t", requestID: "r")
        #expect(unknown.first.map { if case .refused("PENDING_TRANSFER_NOT_FOUND", _) = $0 { true } else { false } } == true)
    }

    @Test("a linked chain succeeds or fails as one; the events after it are applied on their own")
    func linkedChains() async throws {
        let fixture = try await Self.fixture()
        let outcomes = try await fixture.store.createTransfers([
            Self.spend(30, 4_000, linked: true), Self.spend(31, 7_000),  // together over the line: neither applies
            Self.spend(32, 1_000),
        ], actor: "t", requestID: "r")
        #expect(outcomes.first == .linkedEventFailed && outcomes.last == .created)
        #expect(outcomes[1] != .created && outcomes[1] != .linkedEventFailed)
        #expect(try await fixture.store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 9_000))
        let open = try await fixture.store.createTransfers([Self.spend(33, 100, linked: true)], actor: "t", requestID: "r")
        #expect(open.first.map { if case .refused("LINKED_EVENT_CHAIN_OPEN", _) = $0 { true } else { false } } == true)
    }

    @Test("a correction is a reversing transfer, once, of the same amount between the same accounts")
    func reversals() async throws {
        let fixture = try await Self.fixture()
        _ = try await fixture.store.createTransfers([Self.spend(40, 2_000)], actor: "t", requestID: "r")
        let wrong = try await fixture.store.createTransfers([Self.transfer(41, "EXPENSE/equipment", "LINE/TOWN/2010/equipment", 1_999, reverses: 40)],
                                                           actor: "t", requestID: "r")
        #expect(wrong.first.map { if case .refused("REVERSAL_MISMATCH", _) = $0 { true } else { false } } == true)
        let reversal = Self.transfer(42, "EXPENSE/equipment", "LINE/TOWN/2010/equipment", 2_000, reverses: 40, memo: "冲正：重复报销")
        #expect(try await fixture.store.createTransfers([reversal], actor: "t", requestID: "r") == [.created])
        var twice = reversal
        twice.id = 43
        let again = try await fixture.store.createTransfers([twice], actor: "t", requestID: "r")
        #expect(again.first.map { if case .refused("ALREADY_REVERSED", _) = $0 { true } else { false } } == true)
        #expect(try await fixture.store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 10_000))
    }

    @Test("money is integer fen, read and shown as yuan with two decimals")
    func money() {
        #expect(Money(yuan: "12")?.fen == 1_200 && Money(yuan: "12.3")?.fen == 1_230 && Money(yuan: "0.05")?.fen == 5 && Money(yuan: "-1.50")?.fen == -150)
        #expect(Money(yuan: "1.234") == nil && Money(yuan: "1,000") == nil && Money(yuan: "") == nil && Money(yuan: "1e3") == nil && Money(yuan: ".5") == nil)
        #expect(Money(fen: 123_456_789).description == "¥1,234,567.89" && Money(fen: -5).description == "-¥0.05" && Money(fen: 100).description == "¥1.00")
    }

    @Test("group commit: 200 concurrent callers share a few transactions, each answered for its own transfer; the line still never overspends")
    func groupCommit() async throws {
        let fixture = try await Self.fixture()
        let committer = LedgerCommitter(store: fixture.store)
        let outcomes = try await withThrowingTaskGroup(of: [TransferOutcome].self) { group in
            for index in 0..<200 {
                group.addTask { try await committer.createTransfers([Self.spend(Int64(1_000 + index), 75)], actor: "t", requestID: "g\(index)") }
            }
            var outcomes: [TransferOutcome] = []
            for try await answer in group { outcomes += answer }
            return outcomes
        }
        #expect(outcomes.count == 200 && outcomes.count { $0 == .created } == 133, "¥100.00 holds 133 spends of ¥0.75")
        #expect(await committer.transactions < 200)
        #expect(try await fixture.store.account(code: "LINE/TOWN/2010/equipment")?.available == Money(fen: 25))
        #expect(try await fixture.store.unexplainedBalances().isEmpty)
    }
}


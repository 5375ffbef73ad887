@testable import Finance
import Foundation
import GRDB
import PinganCampaign
import PinganFinanceContracts
import PinganRules
import Testing

/// Funders grant their budget lines; expense standards change on a day without rewriting what
/// was paid before it.
@Suite("Finance: budgets and expense standards")
struct BudgetTests {
    static func store() async throws -> (FinanceStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("finance-budget-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("finance.sqlite").path
        return (try FinanceStore.open(path: path), path)
    }

    @Test("a funder grants a line for a year, once per transfer id; the line is spent down to zero and no further")
    func grants() async throws {
        let (store, _) = try await Self.store()
        _ = try await store.openFunder(code: "TOWN", name: "镇财政", kind: .town, actor: "t", requestID: "r")
        _ = try await store.openFunder(code: "VILLAGE-03", name: "三村", kind: .village, actor: "t", requestID: "r")
        #expect(try await store.grant(Money(yuan: "50000")!, funder: "TOWN", year: 2010, category: .equipment, transferID: 1, memo: "年初预算",
                                      actor: "t", requestID: "r") == .created)
        #expect(try await store.grant(Money(yuan: "50000")!, funder: "TOWN", year: 2010, category: .equipment, transferID: 1, memo: "年初预算",
                                      actor: "t", requestID: "r") == .exists, "a retried grant")
        _ = try await store.grant(Money(yuan: "8000")!, funder: "VILLAGE-03", year: 2010, category: .villagePatrol, transferID: 2, memo: "护村队",
                                  actor: "t", requestID: "r")
        let line = LedgerCodes.line(funder: "TOWN", year: 2010, .equipment)
        #expect(try await store.account(code: line)?.available == Money(yuan: "50000"))
        let spend = TransferDraft(id: 3, debitAccount: line, creditAccount: LedgerCodes.expense(.equipment), amount: Money(yuan: "50000.01")!, memo: "采购马甲")
        let refused = try await store.createTransfers([spend], actor: "t", requestID: "r")
        #expect(refused.first.map { if case .refused("EXCEEDS_CREDITS", let message) = $0 { message.contains("¥50,000.00 available") } else { false } } == true)
        await #expect(throws: Refusal.self) {
            _ = try await store.grant(Money(fen: 1), funder: "NOBODY", year: 2010, category: .office, transferID: 4, memo: "", actor: "t", requestID: "r")
        }
        await #expect(throws: Refusal.self) { _ = try await store.openFunder(code: "town finance", name: "x", kind: .town, actor: "t", requestID: "r") }
        let trial = try await store.trialBalance()
        #expect(trial.debits == trial.credits && trial.debits == Money(yuan: "58000"))
    }

    @Test("a rate change mid-month: the old standard before the day, the new from it; a posting keeps the rate it used; rates are immutable in the file")
    func rateChangeMidMonth() async throws {
        let (store, path) = try await Self.store()
        let old = try await store.addRate(.activitySubsidy, amount: Money(yuan: "15")!, validFrom: CalendarDay(iso: "2010-01-01")!, note: "镇标准", actor: "t", requestID: "r")
        let new = try await store.addRate(.activitySubsidy, amount: Money(yuan: "20")!, validFrom: CalendarDay(iso: "2010-05-16")!, note: "世博期间", actor: "t", requestID: "r")
        #expect(try await store.rate(.activitySubsidy, on: CalendarDay(iso: "2010-05-15")!) == old)
        #expect(try await store.rate(.activitySubsidy, on: CalendarDay(iso: "2010-05-16")!) == new)
        #expect(try await store.rate(.activitySubsidy, on: CalendarDay(iso: "2009-12-31")!) == nil)
        #expect(try await store.rate(.transportMeal, on: CalendarDay(iso: "2010-05-16")!) == nil)
        await #expect(throws: Refusal.self) {
            _ = try await store.addRate(.activitySubsidy, amount: Money(yuan: "25")!, validFrom: CalendarDay(iso: "2010-05-16")!, note: "", actor: "t", requestID: "r")
        }

        _ = try await store.openFunder(code: "TOWN", name: "镇财政", kind: .town, actor: "t", requestID: "r")
        _ = try await store.grant(Money(yuan: "1000")!, funder: "TOWN", year: 2010, category: .activitySubsidy, transferID: 1, memo: "", actor: "t", requestID: "r")
        let line = LedgerCodes.line(funder: "TOWN", year: 2010, .activitySubsidy)
        let paid = TransferDraft(id: 2, debitAccount: line, creditAccount: LedgerCodes.expense(.activitySubsidy), amount: old.amount, memo: "5月15日活动",
                                 rateID: old.id)
        #expect(try await store.createTransfers([paid], actor: "t", requestID: "r") == [.created])
        var unknown = paid
        unknown.id = 3
        unknown.rateID = 999
        let refused = try await store.createTransfers([unknown], actor: "t", requestID: "r")
        #expect(refused.first.map { if case .refused("RATE_NOT_FOUND", _) = $0 { true } else { false } } == true)

        let raw = try DatabaseQueue(path: path)
        defer { try? raw.close() }
        for sql in ["UPDATE rates SET amount = 1", "DELETE FROM rates", "UPDATE transfers SET rate_id = NULL"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try raw.write { try $0.execute(sql: sql) } }
        }
        #expect(try await raw.read { try Int64.fetchOne($0, sql: "SELECT rate_id FROM transfers WHERE id = 2") } == old.id)
    }
}

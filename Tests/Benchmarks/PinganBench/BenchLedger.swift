import ArgumentParser
import Finance
import Foundation
import GRDB
import PinganFinanceContracts
import PinganStore

/// Measures finance's ledger on this machine's disk with `synchronous = FULL`: postings one
/// transaction each, and postings of many concurrent callers grouped into shared transactions
/// (`LedgerCommitter`). The baseline, from the same run and directory, is the disk's floor: a
/// durable commit of one tiny row. Prints one JSON line.
struct BenchLedger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "finance-ledger", abstract: "Measure ledger postings, single and group-committed.")

    @Option(help: "Directory for the databases (on the disk to measure).") var directory: String
    @Option(help: "Postings per measurement.") var postings = 2_000
    @Option(help: "Concurrent callers for the group-commit measurement.") var callers = 64

    func run() async throws {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("ledger-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        // The floor: one durable commit of a tiny row, as SQLite does it for the ledger.
        let floor = try ServiceDatabase.open(path: folder.appendingPathComponent("floor.sqlite").path, durability: .powerLoss)
        try await floor.write { try $0.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)") }
        let floorStart = ContinuousClock.now
        for index in 0..<postings {
            try await floor.write { try $0.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: [index]) }
        }
        let floorRate = Double(postings) / Self.seconds(ContinuousClock.now - floorStart)

        let store = try FinanceStore.open(path: folder.appendingPathComponent("finance.sqlite").path)
        _ = try await store.openAccount(code: "FUNDER", name: "镇财政", kind: "funder", limit: .none, actor: "bench", requestID: "b")
        _ = try await store.openAccount(code: "LINE", name: "活动补贴", kind: "budget_line", limit: .debitsWithinCredits, actor: "bench", requestID: "b")
        _ = try await store.openAccount(code: "EXPENSE", name: "支出", kind: "expense", limit: .none, actor: "bench", requestID: "b")
        _ = try await store.createTransfers([TransferDraft(id: 1, debitAccount: "FUNDER", creditAccount: "LINE", amount: Money(fen: 1_000_000_000), memo: "预算")],
                                            actor: "bench", requestID: "b")
        func spend(_ id: Int) -> TransferDraft {
            TransferDraft(id: Int64(id), debitAccount: "LINE", creditAccount: "EXPENSE", amount: Money(fen: 1_500), memo: "活动补贴")
        }

        let singleStart = ContinuousClock.now
        for index in 0..<postings {
            _ = try await store.createTransfers([spend(10 + index)], actor: "bench", requestID: "s\(index)")
        }
        let singleRate = Double(postings) / Self.seconds(ContinuousClock.now - singleStart)

        let committer = LedgerCommitter(store: store)
        let base = 10 + postings
        let groupStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for index in stride(from: caller, to: postings, by: callers) {
                        let outcome = try await committer.createTransfers([spend(base + index)], actor: "bench", requestID: "g\(index)")
                        guard outcome == [.created] else { throw ValidationError("posting \(base + index): \(outcome)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let groupRate = Double(postings) / Self.seconds(ContinuousClock.now - groupStart)
        let transactions = await committer.transactions
        let trial = try await store.trialBalance()
        guard trial.debits == trial.credits, try await store.unexplainedBalances().isEmpty else { throw ValidationError("the ledger does not balance") }

        print(#"{"postings":\#(postings),"callers":\#(callers),"durable_commits_per_s":\#(Int(floorRate)),"single_postings_per_s":\#(Int(singleRate)),"single_over_floor":\#(String(format: "%.2f", singleRate / floorRate)),"group_postings_per_s":\#(Int(groupRate)),"group_transactions":\#(transactions),"postings_per_transaction":\#(String(format: "%.1f", Double(postings) / Double(transactions))),"group_over_floor":\#(String(format: "%.2f", groupRate / floorRate)),"group_over_single":\#(String(format: "%.2f", groupRate / singleRate))}"#)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

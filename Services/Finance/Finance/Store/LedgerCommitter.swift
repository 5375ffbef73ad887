import PinganStore

/// Group commit: callers' transfers that arrive while a write is under way wait for the next
/// one, and go to the store together in a single transaction - one sync to disk for all of
/// them instead of one each. Each caller is answered for its own batch, exactly as if alone.
public actor LedgerCommitter {
    private struct Waiting {
        var batch: FinanceStore.TransferBatch
        var continuation: CheckedContinuation<[TransferOutcome], any Error>
    }

    private let store: FinanceStore
    /// The most batches one transaction takes; the rest wait for the next.
    private let maximumGroup: Int
    private var waiting: [Waiting] = []
    private var writing = false
    /// Transactions written so far (fewer than the callers when grouping works).
    public private(set) var transactions = 0

    public init(store: FinanceStore, maximumGroup: Int = 256) {
        self.store = store
        self.maximumGroup = maximumGroup
    }

    /// The outcomes of `drafts`, committed with whatever else is waiting.
    public func createTransfers(_ drafts: [TransferDraft], actor: String, requestID: String) async throws -> [TransferOutcome] {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(batch: FinanceStore.TransferBatch(drafts: drafts, actor: actor, requestID: requestID), continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes groups until nobody waits. A failed transaction fails each of its callers, who
    /// may retry: transfer ids make a retry harmless.
    private func drain() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(maximumGroup))
            waiting.removeFirst(group.count)
            do {
                let answers = try await store.createTransfers(group: group.map(\.batch))
                transactions += 1
                for (waiter, answer) in zip(group, answers) { waiter.continuation.resume(returning: answer) }
            } catch {
                for waiter in group { waiter.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}

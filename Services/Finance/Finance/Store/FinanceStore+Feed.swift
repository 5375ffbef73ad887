import GRDB
import PinganFinanceContracts
import PinganStore

extension FinanceStore {
    /// Records a transfer the ledger has just applied, in its transaction.
    static func feedTransfer(_ db: Database, _ draft: TransferDraft, actor: String) throws {
        var transfer = Pingan_Finance_V1_Transfer()
        transfer.id = draft.id
        transfer.debitAccount = draft.debitAccount
        transfer.creditAccount = draft.creditAccount
        transfer.amountFen = draft.amount.fen
        transfer.kind = draft.kind.column
        transfer.pendingID = draft.kind.pendingID ?? 0
        if case .pending(let expiry?) = draft.kind { transfer.expiresAt = expiry }
        transfer.reversesID = draft.reverses ?? 0
        transfer.memo = draft.memo
        transfer.rateID = draft.rateID ?? 0
        let action = switch draft.kind {
        case .posted: draft.reverses == nil ? "posted" : "reversed"
        case .pending: "reserved"
        case .post: "reservation_posted"
        case .void: "reservation_voided"
        }
        try ChangeFeed.record(db, kind: "transfer", entityID: String(draft.id), action: action, unitCode: nil, actor: actor,
                              stateType: Pingan_Finance_V1_Transfer.protoMessageName, state: try transfer.serializedData())
    }

    /// Records an allowance batch as it now stands.
    static func feedBatch(_ db: Database, id: Int64, actor: String) throws {
        let batch = try batch(db, id)
        try ChangeFeed.record(db, kind: "allowance_batch", entityID: String(id), action: batch.status.rawValue, unitCode: nil, actor: actor,
                              stateType: Pingan_Finance_V1_Batch.protoMessageName, state: try FinanceService.message(batch).serializedData())
    }
}

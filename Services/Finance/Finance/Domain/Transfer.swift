import PinganFinanceContracts

/// What a transfer does, after TigerBeetle's transfer kinds.
public enum TransferKind: Sendable, Hashable {
    /// Moves the amount now.
    case posted
    /// Reserves the amount until posted or voided; from `expiresAt` (ISO 8601 UTC as the store
    /// writes times, "2010-05-31T16:00:00Z"; nil: never) it can only be voided.
    case pending(expiresAt: String?)
    /// Posts a pending transfer, all of its amount or less.
    case post(pendingID: Int64)
    /// Releases a pending transfer.
    case void(pendingID: Int64)

    var column: String {
        switch self {
        case .posted: "posted"
        case .pending: "pending"
        case .post: "post_pending"
        case .void: "void_pending"
        }
    }

    var pendingID: Int64? {
        switch self {
        case .post(let id), .void(let id): id
        case .posted, .pending: nil
        }
    }
}

/// A transfer as asked for. The id is the caller's: a retry with the same id and the same
/// fields is answered `exists`, never applied twice.
public struct TransferDraft: Sendable, Hashable {
    public var id: Int64
    public var debitAccount: String
    public var creditAccount: String
    public var amount: Money
    public var kind: TransferKind
    /// A correction: this transfer reverses that one (the accounts swapped, the same amount).
    public var reverses: Int64?
    public var memo: String
    /// Linked to the next draft: the chain up to the first unlinked draft succeeds or fails as one.
    public var linked: Bool
    /// The expense standard the amount was computed with, kept with the transfer.
    public var rateID: Int64?

    /// Ids from here up are the service's own (allowance reservations and their resolution):
    /// a caller's transfer id is 1 ..< firstServiceID.
    public static let firstServiceID: Int64 = 1 << 62

    public init(id: Int64, debitAccount: String, creditAccount: String, amount: Money, kind: TransferKind = .posted, reverses: Int64? = nil,
                memo: String, linked: Bool = false, rateID: Int64? = nil) {
        self.id = id
        self.debitAccount = debitAccount
        self.creditAccount = creditAccount
        self.amount = amount
        self.kind = kind
        self.reverses = reverses
        self.memo = memo
        self.linked = linked
        self.rateID = rateID
    }
}

/// What became of one transfer of a batch: every event is answered.
public enum TransferOutcome: Sendable, Hashable {
    case created
    /// The same id with the same fields was created before: nothing was done again.
    case exists
    /// Refused: the rule and a message that names the accounts and amounts involved.
    case refused(rule: String, message: String)
    /// Another transfer of its linked chain was refused, so none of the chain was applied.
    case linkedEventFailed

    public var succeeded: Bool { self == .created || self == .exists }
}

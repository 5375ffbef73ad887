import PinganFinanceContracts

/// The store's records as finance's messages.
extension FinanceService {
    static func message(_ outcome: TransferOutcome, id: Int64) -> Pingan_Finance_V1_TransferOutcome {
        var message = Pingan_Finance_V1_TransferOutcome()
        message.id = id
        switch outcome {
        case .created: message.result = "created"
        case .exists: message.result = "exists"
        case .linkedEventFailed: message.result = "linked_event_failed"
        case .refused(let rule, let text):
            message.result = "refused"
            message.rule = rule
            message.message = text
        }
        return message
    }

    static func message(_ account: AccountRecord) -> Pingan_Finance_V1_Account {
        var message = Pingan_Finance_V1_Account()
        message.code = account.code
        message.name = account.name
        message.kind = account.kind
        message.limit = switch account.limit {
        case .none: "none"
        case .debitsWithinCredits: "debits_within_credits"
        case .creditsWithinDebits: "credits_within_debits"
        }
        message.debitsPostedFen = account.debitsPosted.fen
        message.creditsPostedFen = account.creditsPosted.fen
        message.debitsPendingFen = account.debitsPending.fen
        message.creditsPendingFen = account.creditsPending.fen
        message.availableFen = account.available.fen
        return message
    }

    static func message(_ rate: RateRecord) -> Pingan_Finance_V1_Rate {
        var message = Pingan_Finance_V1_Rate()
        message.id = rate.id
        message.kind = rate.kind.rawValue
        message.amountFen = rate.amount.fen
        message.validFrom = rate.validFrom.description
        message.note = rate.note
        return message
    }

    static func message(_ batch: AllowanceBatch) -> Pingan_Finance_V1_Batch {
        var message = Pingan_Finance_V1_Batch()
        message.id = batch.id
        message.month = batch.month
        message.funder = batch.funder
        message.status = batch.status.rawValue
        message.totalFen = batch.total.fen
        message.lines = Int32(batch.lines)
        message.volunteers = Int32(batch.volunteers)
        message.computedBy = batch.computedBy
        message.approvedBy = batch.approvedBy ?? ""
        message.postedBy = batch.postedBy ?? ""
        message.rejectedBy = batch.rejectedBy ?? ""
        message.reason = batch.reason ?? ""
        return message
    }

    static func message(_ line: AllowanceLineRecord) -> Pingan_Finance_V1_AllowanceLine {
        var message = Pingan_Finance_V1_AllowanceLine()
        message.batchID = line.batchID
        message.month = line.month
        message.funder = line.funder
        message.status = line.status.rawValue
        message.volunteerID = line.volunteerID
        message.unitCode = line.unitCode
        message.rate = Self.message(line.rate)
        message.quantity = Int32(line.quantity)
        message.amountFen = line.amount.fen
        return message
    }

    static func message(_ use: BudgetLineUse) -> Pingan_Finance_V1_BudgetLineUse {
        var message = Pingan_Finance_V1_BudgetLineUse()
        message.code = use.code
        message.funder = use.funder
        message.year = Int32(use.year)
        message.category = use.category
        message.grantedFen = use.granted.fen
        message.spentFen = use.spent.fen
        message.reservedFen = use.reserved.fen
        message.remainingFen = use.remaining.fen
        return message
    }
}

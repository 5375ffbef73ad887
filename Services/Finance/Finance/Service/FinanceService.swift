import PinganCampaign
import PinganFinanceContracts
import PinganRPC
import PinganRules

/// The finance service's RPC methods: each translates the request to the domain, calls the
/// store, and translates the answer back. Refusals of a whole request are thrown as `Refusal`
/// and reach the caller with their status and every field; a batch of transfers is answered
/// per transfer.
public struct FinanceService: RPCService {
    let store: FinanceStore
    /// The month's service allowances are computed from: duty, or a test's table.
    let months: any ServedMonths
    /// Today on the campaign's clock: a month is paid once it is over.
    let today: @Sendable () -> CalendarDay

    public init(store: FinanceStore, months: any ServedMonths, today: @escaping @Sendable () -> CalendarDay = { LocalTime.shanghaiNow().day }) {
        self.store = store
        self.months = months
        self.today = today
    }

    public func register(with router: inout Router) {
        router.register(FinanceMethods.openFunder) { (request: Pingan_Finance_V1_OpenFunderRequest, context) in try await openFunder(request, context) }
        router.register(FinanceMethods.grant) { (request: Pingan_Finance_V1_GrantRequest, context) in try await grant(request, context) }
        router.register(FinanceMethods.addRate) { (request: Pingan_Finance_V1_AddRateRequest, context) in try await addRate(request, context) }
        router.register(FinanceMethods.getRate) { (request: Pingan_Finance_V1_GetRateRequest, _) in try await getRate(request) }
        router.register(FinanceMethods.createTransfers) { (request: Pingan_Finance_V1_CreateTransfersRequest, context) in
            try await createTransfers(request, context)
        }
        router.register(FinanceMethods.listAccounts) { (request: Pingan_Finance_V1_ListAccountsRequest, _) in
            var list = Pingan_Finance_V1_AccountList()
            list.accounts = try await store.accounts(codePrefix: request.codePrefix).map(Self.message)
            return list
        }
        router.register(FinanceMethods.getTrialBalance) { (_: Pingan_Finance_V1_GetTrialBalanceRequest, _) in
            let trial = try await store.trialBalance()
            var answer = Pingan_Finance_V1_TrialBalance()
            answer.debitsFen = trial.debits.fen
            answer.creditsFen = trial.credits.fen
            answer.unexplainedAccounts = try await store.unexplainedBalances()
            return answer
        }
        registerAllowances(with: &router)
        registerStock(with: &router)
    }

    func openFunder(_ request: Pingan_Finance_V1_OpenFunderRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_Account {
        let kind = try RPCError.choice(request.kind, field: "kind", as: FunderKind.self)
        guard !request.name.trimmed.isEmpty, request.name.count <= 100 else { throw RPCError(.invalidArgument, "name: must be 1-100 characters") }
        guard request.paysForUnits.count <= 100 else { throw RPCError(.invalidArgument, "pays_for_units: at most 100 units") }
        guard request.paysForUnits.isEmpty || kind == .village else {
            throw RPCError(.invalidArgument, "pays_for_units: only a village pays for its units' patrols")
        }
        let funder = try await store.openFunder(code: request.code, name: request.name.trimmed, kind: kind, actor: context.actor, requestID: context.requestID)
        try await store.assignUnits(request.paysForUnits, to: request.code, actor: context.actor, requestID: context.requestID)
        return Self.message(funder)
    }

    func grant(_ request: Pingan_Finance_V1_GrantRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_TransferOutcome {
        let category = try RPCError.choice(request.category, field: "category", as: BudgetCategory.self)
        try Self.checkCallerID(request.transferID, field: "transfer_id")
        guard request.memo.count <= 200 else { throw RPCError(.invalidArgument, "memo: at most 200 characters") }
        let outcome = try await store.grant(Money(fen: request.amountFen), funder: request.funder, year: Int(request.year), category: category,
                                            transferID: request.transferID, memo: request.memo, actor: context.actor, requestID: context.requestID)
        return Self.message(outcome, id: request.transferID)
    }

    func addRate(_ request: Pingan_Finance_V1_AddRateRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_Rate {
        let kind = try RPCError.choice(request.kind, field: "kind", as: RateKind.self)
        guard let day = CalendarDay(iso: request.validFrom) else {
            throw RPCError(.invalidArgument, "valid_from: '\(request.validFrom.prefix(32))' is not a date (YYYY-MM-DD)")
        }
        return Self.message(try await store.addRate(kind, amount: Money(fen: request.amountFen), validFrom: day, note: request.note,
                                                    actor: context.actor, requestID: context.requestID))
    }

    func getRate(_ request: Pingan_Finance_V1_GetRateRequest) async throws -> Pingan_Finance_V1_Rate {
        let kind = try RPCError.choice(request.kind, field: "kind", as: RateKind.self)
        guard let day = CalendarDay(iso: request.on) else { throw RPCError(.invalidArgument, "on: '\(request.on.prefix(32))' is not a date (YYYY-MM-DD)") }
        guard let rate = try await store.rate(kind, on: day) else {
            throw RPCError(.notFound, "kind: no \(kind.rawValue) standard is in force on \(day)")
        }
        return Self.message(rate)
    }

    /// The most transfers one call may carry (TigerBeetle's batch size).
    static let maximumTransfers = 8_190

    func createTransfers(_ request: Pingan_Finance_V1_CreateTransfersRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_CreateTransfersResponse {
        guard (1...Self.maximumTransfers).contains(request.transfers.count) else {
            throw RPCError(.invalidArgument, "transfers: a call carries 1-\(Self.maximumTransfers) transfers, got \(request.transfers.count)")
        }
        var rules: [BrokenRule] = []
        let drafts = request.transfers.enumerated().map { index, transfer -> TransferDraft in
            let kind: TransferKind
            switch transfer.kind {
            case "", "posted": kind = .posted
            case "pending": kind = .pending(expiresAt: transfer.expiresAt.isEmpty ? nil : transfer.expiresAt)
            case "post_pending": kind = .post(pendingID: transfer.pendingID)
            case "void_pending": kind = .void(pendingID: transfer.pendingID)
            default:
                rules.append(BrokenRule(field: "transfers[\(index)].kind", rule: "TRANSFER_KIND",
                                        message: "'\(transfer.kind.prefix(32))' is not posted, pending, post_pending or void_pending"))
                kind = .posted
            }
            if !Self.callerIDs.contains(transfer.id) {
                rules.append(BrokenRule(field: "transfers[\(index)].id", rule: "TRANSFER_ID", message: Self.callerIDRule))
            }
            if transfer.memo.count > 200 { rules.append(BrokenRule(field: "transfers[\(index)].memo", rule: "MEMO", message: "at most 200 characters")) }
            return TransferDraft(id: transfer.id, debitAccount: transfer.debitAccount, creditAccount: transfer.creditAccount, amount: Money(fen: transfer.amountFen),
                                 kind: kind, reverses: transfer.reversesID == 0 ? nil : transfer.reversesID, memo: transfer.memo, linked: transfer.linked,
                                 rateID: transfer.rateID == 0 ? nil : transfer.rateID)
        }
        guard rules.isEmpty else { throw Refusal("transfers", rules) }
        let outcomes = try await store.createTransfers(drafts, actor: context.actor, requestID: context.requestID)
        var response = Pingan_Finance_V1_CreateTransfersResponse()
        response.outcomes = zip(drafts, outcomes).map { Self.message($1, id: $0.id) }
        return response
    }

    /// Transfer ids a caller may choose; the rest are the service's own.
    static let callerIDs: Range<Int64> = 1..<TransferDraft.firstServiceID
    static let callerIDRule = "must be 1-\(TransferDraft.firstServiceID - 1) (ids above are the service's own)"

    static func checkCallerID(_ id: Int64, field: String) throws {
        guard callerIDs.contains(id) else { throw RPCError(.invalidArgument, "\(field): \(callerIDRule)") }
    }
}

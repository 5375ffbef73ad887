import PinganCampaign
import PinganFinanceContracts
import PinganRPC
import PinganRules
import PinganServiceKit
import PinganStore

/// Monthly allowance batches and the reports over budgets and allowances.
extension FinanceService {
    func registerAllowances(with router: inout Router) {
        router.register(FinanceMethods.computeAllowances) { (request: Pingan_Finance_V1_ComputeAllowancesRequest, context) in
            try await computeAllowances(request, context)
        }
        router.register(FinanceMethods.approveBatch) { (request: Pingan_Finance_V1_BatchRequest, context) in
            Self.message(try await store.approveBatch(request.id, actor: context.actor, requestID: context.requestID))
        }
        router.register(FinanceMethods.postBatch) { (request: Pingan_Finance_V1_BatchRequest, context) in
            Self.message(try await store.postBatch(request.id, actor: context.actor, requestID: context.requestID))
        }
        router.register(FinanceMethods.rejectBatch) { (request: Pingan_Finance_V1_RejectBatchRequest, context) in
            guard (1...200).contains(request.reason.trimmed.count) else { throw RPCError(.invalidArgument, "reason: must be 1-200 characters") }
            return Self.message(try await store.rejectBatch(request.id, reason: request.reason.trimmed, actor: context.actor, requestID: context.requestID))
        }
        router.register(FinanceMethods.listBatches) { (request: Pingan_Finance_V1_ListBatchesRequest, _) in
            var list = Pingan_Finance_V1_BatchList()
            list.batches = try await store.allowanceBatches(month: try Self.month(request.month, optional: true)?.description).map(Self.message)
            return list
        }
        router.register(FinanceMethods.getBatchLines) { (request: Pingan_Finance_V1_GetBatchLinesRequest, _) in
            let page = try VolunteerListPage(pageSize: request.pageSize, afterVolunteerID: request.afterVolunteerID)
            let (lines, next) = page.split(try await store.allowanceLines(batch: request.id, after: page.after, volunteers: page.limit)) { $0.volunteerID }
            var list = Pingan_Finance_V1_AllowanceLineList()
            list.lines = lines.map(Self.message)
            list.nextAfterVolunteerID = next
            return list
        }
        router.register(FinanceMethods.getBudgetReport) { (request: Pingan_Finance_V1_GetBudgetReportRequest, _) in
            try await budgetReport(request)
        }
        router.register(FinanceMethods.getVolunteerFinance) { (request: Pingan_Finance_V1_GetVolunteerFinanceRequest, _) in
            guard request.volunteerID > 0 else { throw RPCError(.invalidArgument, "volunteer_id: must be above 0") }
            var answer = Pingan_Finance_V1_VolunteerFinance()
            answer.volunteerID = request.volunteerID
            answer.kit = try await store.kit(volunteerID: request.volunteerID).sorted { $0.key.rawValue < $1.key.rawValue }.map { item, quantity in
                var kit = Pingan_Finance_V1_KitItem()
                kit.item = item.rawValue
                kit.quantity = Int32(quantity)
                return kit
            }
            answer.allowances = try await store.payments(volunteerID: request.volunteerID).map(Self.message)
            return answer
        }
    }

    func computeAllowances(_ request: Pingan_Finance_V1_ComputeAllowancesRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_BatchList {
        let month = try Self.month(request.month, optional: false)!
        let today = today()
        guard month.end <= today else {
            throw Refusal("allowances", BrokenRule(field: "month", rule: "MONTH_NOT_OVER", kind: .state,
                                                   message: "\(month) is not over (today is \(today)); it is paid from \(month.end)"))
        }
        let idempotency = try IdempotencyKey(context, request)
        let payers = try await store.allowancePayers()
        let calculator = AllowanceCalculator(year: month.year, payers: payers, rates: try await store.allRates())
        let served: [ServedMonth]
        do {
            served = try await months.months(month)
        } catch let error as RPCError {
            throw RPCError(error.code == .notFound ? .failedPrecondition : error.code, "duty StreamMonthService: \(error.message)")
        }
        let batches = try await store.reserveAllowances(month: month, try calculator.batches(for: served), actor: context.actor,
                                                        requestID: context.requestID, idempotency: idempotency)
        var list = Pingan_Finance_V1_BatchList()
        list.batches = batches.map(Self.message)
        return list
    }

    func budgetReport(_ request: Pingan_Finance_V1_GetBudgetReportRequest) async throws -> Pingan_Finance_V1_BudgetReport {
        guard request.year == 0 || (2000...2100).contains(request.year) else { throw RPCError(.invalidArgument, "year: \(request.year) is not a budget year") }
        let month = try Self.month(request.month, optional: true)
        let lines = try await store.budgetUse(year: request.year == 0 ? nil : Int(request.year))
        var report = Pingan_Finance_V1_BudgetReport()
        report.lines = lines.map(Self.message)
        report.funders = Dictionary(grouping: lines, by: \.funder).sorted { $0.key < $1.key }.map { funder, lines in
            var total = Pingan_Finance_V1_BudgetLineUse()
            total.funder = funder
            total.year = request.year
            total.grantedFen = lines.reduce(0) { $0 + $1.granted.fen }
            total.spentFen = lines.reduce(0) { $0 + $1.spent.fen }
            total.reservedFen = lines.reduce(0) { $0 + $1.reserved.fen }
            total.remainingFen = lines.reduce(0) { $0 + $1.remaining.fen }
            return total
        }
        report.units = try await store.allowanceUse(month: month?.description).map { use in
            var message = Pingan_Finance_V1_UnitMonthUse()
            message.month = use.month
            message.unitCode = use.unitCode
            message.funder = use.funder
            message.volunteers = Int32(use.volunteers)
            message.reservedFen = use.reserved.fen
            message.paidFen = use.paid.fen
            return message
        }
        return report
    }

    static func month(_ text: String, optional: Bool) throws -> CalendarMonth? {
        if optional, text.isEmpty { return nil }
        guard let month = CalendarMonth(text) else { throw RPCError(.invalidArgument, "month: '\(text.prefix(32))' is not a month (YYYY-MM)") }
        return month
    }
}

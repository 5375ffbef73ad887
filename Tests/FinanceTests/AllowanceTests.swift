@testable import Finance
import Foundation
import PinganCampaign
import PinganFinanceContracts
import PinganRPC
import PinganRPCTesting
import Testing

/// A month's service as a table, in place of duty.
struct ServedMonthTable: ServedMonths {
    var table: [String: [ServedMonth]]

    init(_ table: [String: [ServedMonth]]) {
        self.table = table
    }

    func months(_ month: CalendarMonth) async throws -> [ServedMonth] {
        table[month.description] ?? []
    }
}

/// Monthly allowance batches over the contract: computed from the month's service at the rates
/// of each day, reserved, approved by a second person, posted once.
@Suite("Finance: monthly allowances")
struct AllowanceTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    /// April 2010: volunteer 7 of JC-017 all month, 8 who withdrew after the 5th, 9 of a village group.
    static let april = ServedMonthTable(["2010-04": [
        ServedMonth(volunteerID: 7, unitCode: "JC-017", days: [
            ServedDay(day: day("2010-04-10"), activities: 1, shifts: 2), ServedDay(day: day("2010-04-20"), activities: 1, shifts: 1),
        ]),
        ServedMonth(volunteerID: 8, unitCode: "JC-017", days: [ServedDay(day: day("2010-04-03"), activities: 1, shifts: 1)]),
        ServedMonth(volunteerID: 9, unitCode: "VG-01", days: [ServedDay(day: day("2010-04-20"), activities: 0, shifts: 2)]),
    ]])

    static func client(_ store: FinanceStore, person: String, today: String = "2010-05-02", months: ServedMonthTable = april) -> FinanceClient {
        let service = FinanceService(store: store, months: months, today: { day(today) })
        return FinanceClient(InProcessTransport.serving([service], as: .finance, person: person))
    }

    /// The town and village 1 with their lines, and the standards (transport and meals raised on 16 April).
    static func setUp(_ store: FinanceStore, townBudgetFen: Int64 = 100_000) async throws {
        let finance = client(store, person: "finance-setup")
        for (code, kind, units) in [("TOWN", "town", [String]()), ("VC-01", "village", ["VC-01", "VG-01"])] {
            var funder = Pingan_Finance_V1_OpenFunderRequest()
            funder.code = code
            funder.name = code
            funder.kind = kind
            funder.paysForUnits = units
            _ = try await finance.openFunder(funder)
        }
        for (id, funder, category, fen) in [(1, "TOWN", "activity_subsidy", townBudgetFen), (2, "VC-01", "village_patrol", 10_000)] {
            var grant = Pingan_Finance_V1_GrantRequest()
            grant.funder = funder
            grant.year = 2010
            grant.category = category
            grant.amountFen = fen
            grant.transferID = Int64(id)
            #expect(try await finance.grant(grant).result == "created")
        }
        for (kind, fen, from) in [("activity_subsidy", 2_000, "2010-01-01"), ("transport_meal", 1_500, "2010-01-01"), ("transport_meal", 2_500, "2010-04-16")] {
            var rate = Pingan_Finance_V1_AddRateRequest()
            rate.kind = kind
            rate.amountFen = Int64(fen)
            rate.validFrom = from
            _ = try await finance.addRate(rate)
        }
    }

    static func month(_ text: String) -> Pingan_Finance_V1_ComputeAllowancesRequest {
        var request = Pingan_Finance_V1_ComputeAllowancesRequest()
        request.month = text
        return request
    }

    static func batch(_ id: Int64) -> Pingan_Finance_V1_BatchRequest {
        var request = Pingan_Finance_V1_BatchRequest()
        request.id = id
        return request
    }

    @Test("computed by one person, approved by another, posted once: the budget lines pay, a withdrawn volunteer is paid for what they did, the month is never paid twice")
    func monthPaidOnce() async throws {
        let store = try FinanceStore.inMemory()
        try await Self.setUp(store)
        let clerk = Self.client(store, person: "finance-wang")
        let approver = Self.client(store, person: "finance-li")

        let batches = try await clerk.computeAllowances(Self.month("2010-04")).batches
        #expect(batches.map(\.funder) == ["TOWN", "VC-01"])
        // TOWN: 7 -> 2 activities (40), shifts 2 x 15 + 1 x 25; 8 -> 20 + 15. VC-01: 9 -> 2 x 25.
        let townTotal: Int64 = 4_000 + 3_000 + 2_500 + 2_000 + 1_500
        #expect(batches.map(\.totalFen) == [townTotal, 5_000])
        #expect(batches.map(\.status) == ["reserved", "reserved"])
        #expect(batches[0].volunteers == 2 && batches[1].volunteers == 1)
        let town = batches[0]
        // The batch's lines a page of volunteers at a time: a volunteer's lines stay together.
        var pageOf = Pingan_Finance_V1_GetBatchLinesRequest()
        pageOf.id = town.id
        let whole = try await clerk.getBatchLines(pageOf)
        #expect(Set(whole.lines.map(\.volunteerID)) == [7, 8] && whole.lines.count > 2 && whole.nextAfterVolunteerID == 0)
        pageOf.pageSize = 1
        let first = try await clerk.getBatchLines(pageOf)
        #expect(first.lines.allSatisfy { $0.volunteerID == 7 } && first.lines.count > 1 && first.nextAfterVolunteerID == 7)
        pageOf.afterVolunteerID = 7
        let second = try await clerk.getBatchLines(pageOf)
        #expect(second.lines.allSatisfy { $0.volunteerID == 8 } && second.nextAfterVolunteerID == 0)
        #expect(first.lines + second.lines == whole.lines)
        pageOf.pageSize = 10_001
        let tooBig = await FinanceServiceTests.refusal { _ = try await clerk.getBatchLines(pageOf) }
        #expect(tooBig?.code == .invalidArgument && tooBig?.message == "page_size: must be 1-10000 (0 means 1000), got 10001")
        let townLine = try #require(try await store.account(code: "LINE/TOWN/2010/activity_subsidy"))
        #expect(townLine.debitsPending.fen == town.totalFen && townLine.available.fen == 100_000 - town.totalFen)

        let own = await FinanceServiceTests.refusal { _ = try await clerk.approveBatch(Self.batch(town.id)) }
        #expect(own?.code == .permissionDenied && own?.details?.fieldViolations.first?.rule == "FOUR_EYES")
        let early = await FinanceServiceTests.refusal { _ = try await approver.postBatch(Self.batch(town.id)) }
        #expect(early?.code == .failedPrecondition && early?.details?.fieldViolations.first?.rule == "BATCH_STATE")

        for batch in batches {
            #expect(try await approver.approveBatch(Self.batch(batch.id)).approvedBy == "cn:finance-li")
            #expect(try await approver.approveBatch(Self.batch(batch.id)).status == "approved", "approving again answers it as it is")
            #expect(try await clerk.postBatch(Self.batch(batch.id)).status == "posted")
            #expect(try await clerk.postBatch(Self.batch(batch.id)).status == "posted", "posting again pays nothing more")
            #expect(try await approver.approveBatch(Self.batch(batch.id)).status == "posted", "a retried approval answers the batch as it is")
        }
        let paidLine = try #require(try await store.account(code: "LINE/TOWN/2010/activity_subsidy"))
        #expect(paidLine.debitsPosted.fen == town.totalFen && paidLine.debitsPending.fen == 0)
        #expect(try await store.account(code: "LINE/VC-01/2010/village_patrol")?.debitsPosted.fen == 5_000)

        let again = await FinanceServiceTests.refusal { _ = try await clerk.computeAllowances(Self.month("2010-04")) }
        #expect(again?.code == .alreadyExists && again?.details?.fieldViolations.first?.rule == "MONTH_ALREADY_COMPUTED")

        var who = Pingan_Finance_V1_GetVolunteerFinanceRequest()
        who.volunteerID = 8
        let withdrawn = try await clerk.getVolunteerFinance(who)
        #expect(withdrawn.allowances.map(\.amountFen).reduce(0, +) == 3_500 && withdrawn.allowances.allSatisfy { $0.status == "posted" })
        who.volunteerID = 7
        let lines = try await clerk.getVolunteerFinance(who).allowances
        #expect(lines.map(\.rate.amountFen) == [2_000, 1_500, 2_500], "one line per standard, the raised rate after 16 April")

        var reportRequest = Pingan_Finance_V1_GetBudgetReportRequest()
        reportRequest.year = 2010
        let report = try await clerk.getBudgetReport(reportRequest)
        #expect(report.funders.map(\.funder) == ["TOWN", "VC-01"])
        #expect(report.funders.map(\.spentFen) == [town.totalFen, 5_000])
        #expect(report.funders.map(\.remainingFen) == [100_000 - town.totalFen, 5_000])
        #expect(report.units.map { "\($0.unitCode) \($0.funder) \($0.paidFen)" } == ["JC-017 TOWN \(town.totalFen)", "VG-01 VC-01 5000"])

        let trial = try await clerk.getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest())
        #expect(trial.debitsFen == trial.creditsFen && trial.unexplainedAccounts.isEmpty)
        let actions = try await store.auditLog().map(\.action)
        #expect(actions.filter { $0 == "finance.postBatch" }.count == 2 && actions.contains("finance.approveBatch"))
    }

    @Test("refused whole: a month not over, a short budget line (nothing reserved, what is available named), a day without a standard")
    func refusals() async throws {
        let store = try FinanceStore.inMemory()
        try await Self.setUp(store, townBudgetFen: 5_000)
        let early = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a", today: "2010-04-30").computeAllowances(Self.month("2010-04")) }
        #expect(early?.code == .failedPrecondition && early?.details?.fieldViolations.first?.rule == "MONTH_NOT_OVER")
        let bad = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a").computeAllowances(Self.month("2010-4")) }
        #expect(bad?.code == .invalidArgument && bad?.message.contains("month") == true)

        let short = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a").computeAllowances(Self.month("2010-04")) }
        #expect(short?.code == .failedPrecondition)
        let violation = try #require(short?.details?.fieldViolations.first)
        #expect(violation.rule == "EXCEEDS_CREDITS" && violation.description.contains("50.00 available") && violation.description.contains("130.00"))
        #expect(try await store.allowanceBatches(month: nil).isEmpty)
        #expect(try await store.account(code: "LINE/VC-01/2010/village_patrol")?.debitsPending.fen == 0, "the village's batch was not reserved either")

        let before = ServedMonthTable(["2009-11": [ServedMonth(volunteerID: 7, unitCode: "JC-017", days: [ServedDay(day: Self.day("2009-11-11"), activities: 1, shifts: 0)])]])
        let norate = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a", months: before).computeAllowances(Self.month("2009-11")) }
        #expect(norate?.code == .failedPrecondition && norate?.details?.fieldViolations.first?.rule == "NO_RATE_IN_FORCE")
        let empty = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a").computeAllowances(Self.month("2010-03")) }
        #expect(empty?.details?.fieldViolations.first?.rule == "NOTHING_TO_PAY")
    }

    @Test("a rejected batch frees its reservation and its month; a posted one cannot be rejected; a retried compute with its key answers the same batches")
    func rejectAndRetry() async throws {
        let store = try FinanceStore.inMemory()
        try await Self.setUp(store)
        let clerk = Self.client(store, person: "finance-wang")
        var options = CallOptions()
        options.metadata.idempotencyKey = "allowances-2010-04"
        let first = try await clerk.computeAllowances(Self.month("2010-04"), options: options).batches
        #expect(try await clerk.computeAllowances(Self.month("2010-04"), options: options).batches.map(\.id) == first.map(\.id))
        let reused = await FinanceServiceTests.refusal { _ = try await clerk.computeAllowances(Self.month("2010-03"), options: options) }
        #expect(reused?.details?.fieldViolations.first?.rule == "IDEMPOTENCY_KEY_REUSED", "the same key for another month")

        var reject = Pingan_Finance_V1_RejectBatchRequest()
        reject.id = first[0].id
        reject.reason = "duty corrected a sheet"
        #expect(try await clerk.rejectBatch(reject).status == "rejected")
        #expect(try await store.account(code: "LINE/TOWN/2010/activity_subsidy")?.debitsPending.fen == 0)
        reject.id = first[1].id
        _ = try await clerk.rejectBatch(reject)

        let second = try await clerk.computeAllowances(Self.month("2010-04")).batches
        #expect(second.count == 2 && Set(second.map(\.id)).isDisjoint(with: first.map(\.id)))
        let approver = Self.client(store, person: "finance-li")
        _ = try await approver.approveBatch(Self.batch(second[0].id))
        _ = try await approver.postBatch(Self.batch(second[0].id))
        reject.id = second[0].id
        let posted = await FinanceServiceTests.refusal { _ = try await clerk.rejectBatch(reject) }
        #expect(posted?.code == .failedPrecondition && posted?.details?.fieldViolations.first?.rule == "BATCH_STATE")

        var listing = Pingan_Finance_V1_ListBatchesRequest()
        listing.month = "2010-04"
        #expect(try await clerk.listBatches(listing).batches.map(\.status).sorted() == ["posted", "rejected", "rejected", "reserved"])
        let trial = try await clerk.getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest())
        #expect(trial.debitsFen == trial.creditsFen && trial.unexplainedAccounts.isEmpty)
    }

    @Test("the store refuses what the code would not do: a batch moved backwards, a line edited, the same person approving")
    func storeGuards() async throws {
        let store = try FinanceStore.inMemory()
        try await Self.setUp(store)
        let batches = try await Self.client(store, person: "finance-wang").computeAllowances(Self.month("2010-04")).batches
        for sql in ["UPDATE allowance_lines SET amount = 1", "DELETE FROM allowance_lines", "DELETE FROM allowance_batches",
                    "UPDATE allowance_batches SET status = 'posted', approved_by = 'x'",
                    "UPDATE allowance_batches SET status = 'approved', approved_by = 'cn:finance-wang'",
                    "UPDATE allowance_batches SET total = 1"] {
            #expect(throws: (any Error).self, "\(sql)") { try store.writer.writeWithoutTransaction { try $0.execute(sql: sql) } }
        }
        #expect(try await store.allowanceBatches(month: "2010-04").map(\.status) == [.reserved, .reserved])
        #expect(batches.count == 2)
    }

    @Test("caller transfer ids stay below the service's own range")
    func serviceIDs() async throws {
        let store = try FinanceStore.inMemory()
        try await Self.setUp(store)
        var request = Pingan_Finance_V1_CreateTransfersRequest()
        var transfer = Pingan_Finance_V1_Transfer()
        transfer.id = TransferDraft.firstServiceID
        transfer.debitAccount = "LINE/TOWN/2010/activity_subsidy"
        transfer.creditAccount = "EXPENSE/activity_subsidy"
        transfer.amountFen = 1
        request.transfers = [transfer]
        let refused = await FinanceServiceTests.refusal { _ = try await Self.client(store, person: "a").createTransfers(request) }
        #expect(refused?.code == .invalidArgument && refused?.details?.fieldViolations.first?.rule == "TRANSFER_ID")
    }
}

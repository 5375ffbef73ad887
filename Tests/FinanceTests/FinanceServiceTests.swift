@testable import Finance
import Foundation
import PinganFinanceContracts
import PinganRPC
import PinganRPCTesting
import Testing

/// Finance over its contract, in-process: who may do what, and every transfer answered.
@Suite("Finance service")
struct FinanceServiceTests {
    static func client(_ store: FinanceStore, _ role: Role) -> FinanceClient {
        FinanceClient(InProcessTransport.serving([FinanceService(store: store, months: ServedMonthTable([:]))], as: role))
    }

    static func refusal(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("a funder, a grant, a rate; a batch answered per transfer; balances and a trial balance that sums; clerks and auditors kept to their part")
    func overTheContract() async throws {
        let store = try FinanceStore.inMemory()
        let finance = Self.client(store, .finance)
        var funder = Pingan_Finance_V1_OpenFunderRequest()
        funder.code = "TOWN"
        funder.name = "镇财政"
        funder.kind = "town"
        _ = try await finance.openFunder(funder)
        var grant = Pingan_Finance_V1_GrantRequest()
        grant.funder = "TOWN"
        grant.year = 2010
        grant.category = "activity_subsidy"
        grant.amountFen = 100_000
        grant.transferID = 1
        #expect(try await finance.grant(grant).result == "created")
        #expect(try await finance.grant(grant).result == "exists")
        var long = grant
        long.transferID = 2
        long.memo = String(repeating: "预", count: 201)
        #expect(await Self.refusal { _ = try await finance.grant(long) }?.code == .invalidArgument, "a memo is bounded like a transfer's")

        var rate = Pingan_Finance_V1_AddRateRequest()
        rate.kind = "activity_subsidy"
        rate.amountFen = 1_500
        rate.validFrom = "2010-01-01"
        let added = try await finance.addRate(rate)
        var asked = Pingan_Finance_V1_GetRateRequest()
        asked.kind = "activity_subsidy"
        asked.on = "2010-05-20"
        #expect(try await Self.client(store, .clerk).getRate(asked).id == added.id)

        func transfer(_ id: Int64, _ fen: Int64, kind: String = "") -> Pingan_Finance_V1_Transfer {
            var transfer = Pingan_Finance_V1_Transfer()
            transfer.id = id
            transfer.debitAccount = "LINE/TOWN/2010/activity_subsidy"
            transfer.creditAccount = "EXPENSE/activity_subsidy"
            transfer.amountFen = fen
            transfer.kind = kind
            transfer.rateID = added.id
            transfer.memo = "活动补贴"
            return transfer
        }
        var batch = Pingan_Finance_V1_CreateTransfersRequest()
        batch.transfers = [transfer(10, 60_000), transfer(11, 50_000), transfer(12, 40_000)]
        let outcomes = try await finance.createTransfers(batch).outcomes
        #expect(outcomes.map(\.result) == ["created", "refused", "created"])
        #expect(outcomes[1].rule == "EXCEEDS_CREDITS" && outcomes[1].message.contains("¥400.00 available"))

        batch.transfers = [transfer(13, 1, kind: "borrowed"), transfer(0, 1)]
        let invalid = await Self.refusal { _ = try await finance.createTransfers(batch) }
        #expect(invalid?.code == .invalidArgument && invalid?.details?.fieldViolations.map(\.field) == ["transfers[0].kind", "transfers[1].id"])

        var lines = Pingan_Finance_V1_ListAccountsRequest()
        lines.codePrefix = "LINE/"
        let listed = try await Self.client(store, .auditor).listAccounts(lines)
        #expect(listed.accounts.map(\.code) == ["LINE/TOWN/2010/activity_subsidy"] && listed.accounts.first?.availableFen == 0)
        let trial = try await Self.client(store, .auditor).getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest())
        #expect(trial.debitsFen == trial.creditsFen && trial.debitsFen == 200_000 && trial.unexplainedAccounts.isEmpty)

        for role in [Role.clerk, .auditor, .coordinator, .service] {
            #expect(await Self.refusal { _ = try await Self.client(store, role).createTransfers(batch) }?.code == .permissionDenied, "\(role)")
        }
        #expect(await Self.refusal { _ = try await Self.client(store, .clerk).getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest()) }?.code == .permissionDenied)
    }
}

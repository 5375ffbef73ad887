import Foundation
import PinganDutyContracts
import PinganFinanceContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// The real pingan-finance reading a month from the real pingan-duty (with the registry and
/// training behind it) over mutual TLS, and killed with SIGKILL while it posts a batch.
@Suite("Finance with the real duty", .timeLimit(.minutes(3)))
struct FinanceIntegrationTests {
    /// The town office is admin; finance-li is a second finance officer; services are services.
    static let acl = #"""
        {"identities": [{"match": "cn:town-office", "role": "admin"}, {"match": "cn:finance-li", "role": "finance"},
                        {"match": "cn:pingan-test-server", "role": "service"}]}
        """#

    static func startFinance(database: String, dutyPort: Int) async throws -> (RunningProcess, Int) {
        let tls = ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem")]
        return try await TrainingIntegrationTests.start("pingan-finance", tls + [
            "--acl", ExecutableTests.aclFile(acl), "--database", database, "--peer", "duty=127.0.0.1:\(dutyPort)",
        ])
    }

    static func client(_ port: Int, identity: String) throws -> FinanceClient {
        FinanceClient(RPCClient(host: "127.0.0.1", port: port, tls: try TestCertificates.context(.client, identity: identity)))
    }

    /// The town with its activity-subsidy line, and the standards: the activity subsidy raised
    /// on 15 April 2010, transport and meals from January.
    /// The town's finance as a funder.
    static func openTown(_ finance: FinanceClient) async throws {
        var funder = Pingan_Finance_V1_OpenFunderRequest()
        funder.code = "TOWN"
        funder.name = "镇财政"
        funder.kind = "town"
        _ = try await finance.openFunder(funder)
    }

    static func budget(_ finance: FinanceClient, fen: Int64) async throws {
        try await openTown(finance)
        var grant = Pingan_Finance_V1_GrantRequest()
        grant.funder = "TOWN"
        grant.year = 2010
        grant.category = "activity_subsidy"
        grant.amountFen = fen
        grant.transferID = 1
        #expect(try await finance.grant(grant).result == "created")
        for (kind, amount, from) in [("activity_subsidy", 2_000, "2010-01-01"), ("activity_subsidy", 3_000, "2010-04-15"), ("transport_meal", 1_500, "2010-01-01")] {
            var rate = Pingan_Finance_V1_AddRateRequest()
            rate.kind = kind
            rate.amountFen = Int64(amount)
            rate.validFrom = from
            _ = try await finance.addRate(rate)
        }
    }

    /// Every volunteer from `first` did an activity on 10 and on 20 April 2010.
    static func recordActivities(_ duty: DutyClient, first: Int64, count: Int) async throws {
        var sheet = Pingan_Duty_V1_RecordActivitiesRequest()
        for offset in 0..<Int64(count) {
            for day in ["2010-04-10", "2010-04-20"] {
                var row = Pingan_Duty_V1_RecordActivityRequest()
                row.volunteerID = first + offset
                row.project = "publicity"
                row.day = day
                row.place = "社区广场"
                row.hours = 2
                sheet.rows.append(row)
            }
        }
        #expect(try await duty.recordActivities(sheet).recorded == Int32(count * 2))
    }

    static func batchRequest(_ id: Int64) -> Pingan_Finance_V1_BatchRequest {
        var request = Pingan_Finance_V1_BatchRequest()
        request.id = id
        return request
    }

    @Test("a month's allowances from duty's records: activities at the rate of each day, a shift's transport and meals; computed by one person, approved by another, posted")
    func monthFromDuty() async throws {
        let stack = try await GatewayIntegrationTests.stack(volunteers: 3, trained: 1)
        defer { stack.kill() }
        let office = try TestCertificates.context(.client, identity: "client")
        let duty = DutyClient(RPCClient(host: "127.0.0.1", port: stack.dutyPort, tls: office))
        try await Self.recordActivities(duty, first: stack.first, count: 3)
        var post = Pingan_Duty_V1_SavePostRequest()
        post.code = "JC-017-P1"
        post.project = "station_guarding"
        post.unitCode = "JC-017"
        post.place = "十七居委会门岗"
        post.duty = "夜间值守"
        _ = try await duty.savePost(post)
        var assign = Pingan_Duty_V1_AssignShiftRequest()
        assign.postCode = "JC-017-P1"
        assign.volunteerID = stack.first
        assign.starts = "2010-04-12 19:00"
        assign.ends = "2010-04-12 23:00"
        _ = try await duty.assignShift(assign)

        let database = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-finance-\(UUID()).sqlite").path
        let (process, port) = try await Self.startFinance(database: database, dutyPort: stack.dutyPort)
        defer { process.kill() }
        let clerk = try Self.client(port, identity: "client")
        try await Self.budget(clerk, fen: 1_000_000)
        var month = Pingan_Finance_V1_ComputeAllowancesRequest()
        month.month = "2010-04"
        let batches = try await clerk.computeAllowances(month).batches
        #expect(batches.map(\.funder) == ["TOWN"])
        // 3 volunteers x (20.00 on the 10th + 30.00 on the 20th), and one shift's 15.00.
        #expect(batches.first?.totalFen == 3 * 5_000 + 1_500 && batches.first?.volunteers == 3 && batches.first?.lines == 7)

        let own = await #expect(throws: RPCError.self) { _ = try await clerk.approveBatch(Self.batchRequest(batches[0].id)) }
        #expect(own?.code == .permissionDenied)
        let approver = try Self.client(port, identity: "finance-client")
        #expect(try await approver.approveBatch(Self.batchRequest(batches[0].id)).approvedBy == "cn:finance-li")
        #expect(try await approver.postBatch(Self.batchRequest(batches[0].id)).status == "posted")

        var who = Pingan_Finance_V1_GetVolunteerFinanceRequest()
        who.volunteerID = stack.first
        #expect(try await clerk.getVolunteerFinance(who).allowances.map(\.amountFen).reduce(0, +) == 6_500)
        let again = await #expect(throws: RPCError.self) { _ = try await clerk.computeAllowances(month) }
        #expect(again?.code == .alreadyExists)
    }

    @Test("SIGKILL while a 2,000-line batch posts: after each restart the batch is wholly posted or wholly reserved, the ledger balances, and posting again finishes it once")
    func killedWhilePosting() async throws {
        let volunteers = 1_000
        let stack = try await GatewayIntegrationTests.stack(volunteers: volunteers, trained: 0)
        defer { stack.kill() }
        let office = try TestCertificates.context(.client, identity: "client")
        try await Self.recordActivities(DutyClient(RPCClient(host: "127.0.0.1", port: stack.dutyPort, tls: office)), first: stack.first, count: volunteers)

        let database = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-finance-\(UUID()).sqlite").path
        var (process, port) = try await Self.startFinance(database: database, dutyPort: stack.dutyPort)
        defer { process.kill() }
        try await Self.budget(try Self.client(port, identity: "client"), fen: 100_000_000)
        var month = Pingan_Finance_V1_ComputeAllowancesRequest()
        month.month = "2010-04"
        let batch = try #require(try await Self.client(port, identity: "client").computeAllowances(month).batches.first)
        #expect(batch.lines == volunteers * 2 && batch.totalFen == Int64(volunteers) * 5_000)
        _ = try await Self.client(port, identity: "finance-client").approveBatch(Self.batchRequest(batch.id))

        var rolledBack = 0
        var posted = false
        for delay in [0, 5, 20, 50, 100, 200, 400, 800, 1_600] where !posted {
            let client = try Self.client(port, identity: "finance-client")
            let call = Task { try await client.postBatch(Self.batchRequest(batch.id)) }
            try await Task.sleep(for: .milliseconds(delay))
            process.signal(SIGKILL)
            _ = try await process.waitForExit(within: .seconds(10))
            _ = await call.result
            (process, port) = try await Self.startFinance(database: database, dutyPort: stack.dutyPort)

            let finance = try Self.client(port, identity: "client")
            var listing = Pingan_Finance_V1_ListBatchesRequest()
            listing.month = "2010-04"
            let status = try #require(try await finance.listBatches(listing).batches.first).status
            var prefix = Pingan_Finance_V1_ListAccountsRequest()
            prefix.codePrefix = "LINE/TOWN/2010/activity_subsidy"
            let line = try #require(try await finance.listAccounts(prefix).accounts.first)
            if status == "posted" {
                #expect(line.debitsPostedFen == batch.totalFen && line.debitsPendingFen == 0, "posted whole after a kill at \(delay) ms")
                posted = true
                print("killed \(delay) ms into PostBatch: posted whole")
            } else {
                #expect(status == "approved")
                #expect(line.debitsPostedFen == 0 && line.debitsPendingFen == batch.totalFen, "nothing posted after a kill at \(delay) ms")
                rolledBack += 1
                print("killed \(delay) ms into PostBatch: nothing posted")
            }
            let trial = try await finance.getTrialBalance(Pingan_Finance_V1_GetTrialBalanceRequest())
            #expect(trial.debitsFen == trial.creditsFen && trial.unexplainedAccounts.isEmpty)
        }
        if !posted {
            #expect(try await Self.client(port, identity: "finance-client").postBatch(Self.batchRequest(batch.id)).status == "posted")
        }
        let finance = try Self.client(port, identity: "client")
        #expect(try await finance.postBatch(Self.batchRequest(batch.id)).status == "posted", "posting again pays nothing more")
        var prefix = Pingan_Finance_V1_ListAccountsRequest()
        prefix.codePrefix = "EXPENSE/activity_subsidy"
        #expect(try await finance.listAccounts(prefix).accounts.first?.creditsPostedFen == batch.totalFen)
        print("killed while posting: \(rolledBack) kills left the batch reserved, then posted whole")
    }
}

import ArgumentParser
import PinganCatalog
import PinganDutyContracts
import PinganFinanceContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// `pingan-finance-demo`: the quick start's money, through the APIs. The town's finance and
/// its three villages with their 2010 budgets (the town plan's "Funding"); the expense
/// standards (transport and meals raised on 16 April 2010); the six insignia bought into the
/// town's store room and a kit issued to every volunteer who stood a shift in April; then
/// April's allowances computed by the town office, approved by the finance office and paid.
/// Grants and purchases carry their transfer ids and the rest idempotency keys, so a second
/// run changes nothing.
@main
struct FinanceDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-finance-demo", abstract: "Load the quick start's budgets, standards, insignia and a paid month into pingan-finance.")

    @Option var duty = "127.0.0.1:7403"
    @Option var finance = "127.0.0.1:7404"
    @Option(help: "Client certificate of the town office (admin in duty's and finance's ACL): it computes the month.") var cert: String
    @Option var key: String
    @Option var ca: String
    @Option(help: "Client certificate of the finance office (finance in finance's ACL): it approves the month.") var approverCert: String
    @Option var approverKey: String

    static let room = "镇综治办仓库"
    static let month = "2010-04"
    /// Each village committee and its village groups (the town plan's 14 groups under 3 villages).
    static let villages = [("VC-01", "第1村委会", 1...5), ("VC-02", "第2村委会", 6...10), ("VC-03", "第3村委会", 11...14)]
    /// The town's 2010 lines, in yuan.
    static let townBudget: [(String, String)] = [("training", "200000"), ("equipment", "400000"), ("office", "50000"),
                                                 ("manager_subsidy", "80000"), ("activity_subsidy", "600000"), ("reward", "30000")]
    /// Insignia and their unit prices in yuan.
    static let insignia = [("armband", "3.50"), ("vest", "25"), ("t_shirt", "18"), ("badge", "2"), ("sun_hat", "8"), ("small_flag", "1.50")]

    func run() async throws {
        let office = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca))
        let approverTLS = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: approverCert, privateKeyPath: approverKey,
                                                                         trustRootsPath: ca))
        let finance = FinanceClient(try await Self.connect(self.finance, office))
        let approver = FinanceClient(try await Self.connect(self.finance, approverTLS))
        let duty = DutyClient(try await Self.connect(self.duty, office))

        try await openFunders(finance)
        try await addStandards(finance)
        let bought = try await buyInsignia(finance)
        let served = try await Self.served(duty)
        let kits = try await issueKits(finance, to: served)

        var compute = Pingan_Finance_V1_ComputeAllowancesRequest()
        compute.month = Self.month
        let batches = try await finance.computeAllowances(compute, options: Self.key("allowances-\(Self.month)")).batches
        for batch in batches {
            var request = Pingan_Finance_V1_BatchRequest()
            request.id = batch.id
            _ = try await approver.approveBatch(request)
            _ = try await finance.postBatch(request)
        }
        let paid = batches.reduce(0) { $0 + $1.totalFen }
        let perFunder = batches.map { "\($0.funder) \(Money(fen: $0.totalFen)) to \($0.volunteers)" }.joined(separator: ", ")
        print("finance: the town and \(Self.villages.count) villages with their 2010 budgets; \(bought) insignia bought into \(Self.room); "
              + "kits issued to \(kits) volunteers who stood shifts; \(Self.month)'s allowances paid, \(Money(fen: paid)) in \(batches.count) batches "
              + "(\(perFunder) volunteers)")
    }

    func openFunders(_ finance: FinanceClient) async throws {
        var town = Pingan_Finance_V1_OpenFunderRequest()
        town.code = "TOWN"
        town.name = "镇财政"
        town.kind = "town"
        _ = try await finance.openFunder(town)
        for (index, (category, yuan)) in Self.townBudget.enumerated() {
            try await grant(finance, funder: "TOWN", category: category, yuan: yuan, id: Int64(100 + index))
        }
        for (index, (code, name, groups)) in Self.villages.enumerated() {
            var village = Pingan_Finance_V1_OpenFunderRequest()
            village.code = code
            village.name = name
            village.kind = "village"
            village.paysForUnits = [code] + groups.map { "VG-\($0 < 10 ? "0" : "")\($0)" }
            _ = try await finance.openFunder(village)
            try await grant(finance, funder: code, category: "village_patrol", yuan: "40000", id: Int64(200 + index))
        }
    }

    func grant(_ finance: FinanceClient, funder: String, category: String, yuan: String, id: Int64) async throws {
        var grant = Pingan_Finance_V1_GrantRequest()
        grant.funder = funder
        grant.year = 2010
        grant.category = category
        grant.amountFen = Money(yuan: yuan)!.fen
        grant.transferID = id
        grant.memo = "2010年度预算"
        let outcome = try await finance.grant(grant)
        guard outcome.result == "created" || outcome.result == "exists" else { throw ValidationError("grant \(id): \(outcome.rule) \(outcome.message)") }
    }

    func addStandards(_ finance: FinanceClient) async throws {
        for (kind, yuan, from, note) in [("activity_subsidy", "20", "2009-10-01", "每次活动"), ("transport_meal", "15", "2009-10-01", "每班交通餐费"),
                                         ("transport_meal", "20", "2010-04-16", "世博前上调"), ("manager_subsidy", "300", "2009-10-01", "每人每月"),
                                         ("training_cost", "50", "2009-10-01", "每人次")] {
            var rate = Pingan_Finance_V1_AddRateRequest()
            rate.kind = kind
            rate.amountFen = Money(yuan: yuan)!.fen
            rate.validFrom = from
            rate.note = note
            _ = try await finance.addRate(rate)
        }
    }

    /// 6,300 of each item, paid from the town's equipment line.
    func buyInsignia(_ finance: FinanceClient) async throws -> Int {
        for (index, (item, price)) in Self.insignia.enumerated() {
            var purchase = Pingan_Finance_V1_PurchaseStockRequest()
            purchase.item = item
            purchase.quantity = 6_300
            purchase.room = Self.room
            purchase.unitPriceFen = Money(yuan: price)!.fen
            purchase.funder = "TOWN"
            purchase.year = 2010
            purchase.transferID = Int64(300 + index)
            let outcome = try await finance.purchaseStock(purchase)
            guard outcome.result == "created" || outcome.result == "exists" else { throw ValidationError("purchase of \(item): \(outcome.rule) \(outcome.message)") }
        }
        return 6_300 * Self.insignia.count
    }

    /// The volunteers who stood at least one shift in the month, from duty.
    static func served(_ duty: DutyClient) async throws -> [Int64] {
        var request = Pingan_Duty_V1_StreamMonthServiceRequest()
        request.month = month
        var volunteers: [Int64] = []
        for try await volunteer in try await duty.streamMonthService(request) where volunteer.shifts > 0 {
            volunteers.append(volunteer.volunteerID)
        }
        return volunteers
    }

    func issueKits(_ finance: FinanceClient, to volunteers: [Int64]) async throws -> Int {
        for volunteer in volunteers {
            for (item, _) in Self.insignia {
                var issue = Pingan_Finance_V1_MoveStockRequest()
                issue.item = item
                issue.quantity = 1
                issue.room = Self.room
                issue.kind = "issue"
                issue.volunteerID = volunteer
                issue.note = "上岗装备"
                _ = try await finance.moveStock(issue, options: Self.key("kit-\(volunteer)-\(item)"))
            }
        }
        return volunteers.count
    }

    static func connect(_ text: String, _ tls: TLSContext) async throws -> RPCConnection {
        guard let address = ServiceAddress(text) else { throw ValidationError("'\(text)' is not host:port") }
        return try await RPCConnection.connect(host: address.host, port: address.port, tls: tls)
    }

    static func key(_ name: String) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = "demo-finance-\(name)"
        return CallOptions(metadata: metadata)
    }
}

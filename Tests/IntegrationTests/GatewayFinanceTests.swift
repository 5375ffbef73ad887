import Foundation
import PinganDutyContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// `pingan finance ...` against the real services: budgets, spending and reservations, insignia,
/// a month's allowances computed, approved by a second officer and paid; the volunteer's and
/// the dashboard's finance sections.
@Suite("Gateway: pingan finance", .timeLimit(.minutes(2)))
struct GatewayFinanceTests {
    @Test("budgets, a refused overspend naming what is left, a reservation posted once, insignia bought and issued, a month's allowances paid by two officers; volunteer show and the dashboard count them")
    func financeCommands() async throws {
        let stack = try await GatewayIntegrationTests.stack(volunteers: 3, trained: 0)
        defer { stack.kill() }
        let office = try TestCertificates.context(.client, identity: "client")
        try await FinanceIntegrationTests.recordActivities(DutyClient(RPCClient(host: "127.0.0.1", port: stack.dutyPort, tls: office)), first: stack.first, count: 3)
        let config = try GatewayIntegrationTests.config([("a", stack.services)])
        let second = try GatewayIntegrationTests.config([("a", stack.services)], identity: "finance-client")
        func run(_ arguments: [String], as file: String = config) async throws -> Subprocess.Result {
            try await GatewayIntegrationTests.pingan(["finance"] + arguments + ["--config", file, "--timeout", "30"])
        }
        func succeeds(_ arguments: [String], as file: String = config) async throws -> Subprocess.Result {
            let result = try await run(arguments, as: file)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            return result
        }
        _ = try await succeeds(["funder", "TOWN", "--name", "镇财政", "--kind", "town"])
        _ = try await succeeds(["grant", "TOWN", "--year", "2010", "--category", "activity_subsidy", "--amount", "1000", "--transfer-id", "1"])
        let equipment = try await succeeds(["grant", "TOWN", "--year", "2010", "--category", "equipment", "--amount", "500.00", "--transfer-id", "2"])
        #expect(equipment.text.contains("created"))
        _ = try await succeeds(["add-rate", "activity_subsidy", "--amount", "20", "--from", "2010-01-01"])
        #expect(try await succeeds(["rate", "activity_subsidy", "--on", "2010-04-10"]).text.contains("¥20.00"))

        let badAmount = try await run(["spend", "--id", "10", "--line", "LINE/TOWN/2010/equipment", "--category", "equipment", "--amount", "12.345"])
        #expect(badAmount.status == 64 && badAmount.standardError.contains("--amount: '12.345' is not an amount in yuan"), "\(badAmount.standardError)")
        let over = try await run(["spend", "--id", "10", "--line", "LINE/TOWN/2010/equipment", "--category", "equipment", "--amount", "600"])
        #expect(over.status == 3 && over.standardError.contains("EXCEEDS_CREDITS") && over.standardError.contains("¥500.00 available"), "\(over.standardError)")
        _ = try await succeeds(["reserve", "--id", "11", "--line", "LINE/TOWN/2010/equipment", "--category", "equipment", "--amount", "100"])
        _ = try await succeeds(["post", "11", "--id", "12"])
        let twice = try await run(["void", "11", "--id", "13"])
        #expect(twice.status == 3 && twice.standardError.contains("PENDING_TRANSFER_ALREADY_RESOLVED"), "\(twice.standardError)")

        _ = try await succeeds(["buy", "armband", "--quantity", "10", "--room", "镇仓库", "--unit-price", "5", "--funder", "TOWN", "--year", "2010",
                                "--transfer-id", "20"])
        let issued = try await succeeds(["issue", "armband", "--quantity", "1", "--room", "镇仓库", "--volunteer", String(stack.first), "--json"])
        #expect(issued.text.contains("\"on_hand\" : 9"), "\(issued.text)")
        let short = try await run(["issue", "vest", "--quantity", "1", "--room", "镇仓库", "--volunteer", String(stack.first)])
        #expect(short.status == 3 && short.standardError.contains("0 vest on hand"), "\(short.standardError)")

        let computed = try await succeeds(["compute", "2010-04", "--json"])
        let batch = try #require(((try GatewayIntegrationTests.json(computed))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        let batchID = try #require(batch.first?["batch"] as? Int)
        #expect(batch.first?["total_fen"] as? Int == 12_000, "3 volunteers x 2 activities x ¥20")
        let lines = try await succeeds(["batch", String(batchID), "--json"])
        let paid = try #require(((try GatewayIntegrationTests.json(lines))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        #expect(Set(paid.compactMap { $0["volunteer_id"] as? Int }).count == 3, "\(paid)")
        let own = try await run(["approve", String(batchID)])
        #expect(own.status == 3 && own.standardError.contains("another person approves it"), "\(own.standardError)")
        _ = try await succeeds(["approve", String(batchID)], as: second)
        #expect(try await succeeds(["pay", String(batchID)]).text.contains("posted"))
        let budget = try await succeeds(["budget", "--year", "2010"])
        #expect(budget.text.contains("¥270.00"), "spent: ¥100 posted, ¥50 of armbands, ¥120 of allowances\n\(budget.text)")
        _ = try await succeeds(["trial-balance"])

        let shown = try await GatewayIntegrationTests.pingan(["volunteer", "show", String(stack.first), "--json", "--config", config])
        let sections = try #require((try GatewayIntegrationTests.json(shown))["sections"] as? [[String: Any]])
        let kit = sections.first { $0["id"] as? String == "finance.kit" }?["rows"] as? [[String: Any]]
        #expect(kit?.map { "\($0["item"] ?? "") \($0["quantity"] ?? "")" } == ["armband 1"])
        let allowances = sections.first { $0["id"] as? String == "finance.allowances" }?["rows"] as? [[String: Any]]
        #expect(allowances?.compactMap { $0["amount_fen"] as? Int } == [4_000] && allowances?.first?["status"] as? String == "posted")

        let dashboard = try await GatewayIntegrationTests.pingan(["dashboard", "--all-towns", "--json", "--on", "2010-04-30", "--config", config])
        let rows = try #require(((try GatewayIntegrationTests.json(dashboard))["sections"] as? [[String: Any]])?.first?["rows"] as? [[String: Any]])
        let spent = rows.last?["budget_spent_yuan"] as? [String: Any]
        #expect(spent?["part"] as? Int == 270 && spent?["whole"] as? Int == 1_500, "district total \(rows)")
    }
}

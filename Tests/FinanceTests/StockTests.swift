@testable import Finance
import Foundation
import GRDB
import PinganFinanceContracts
import PinganRules
import Testing

/// Insignia: bought from the equipment line (money and stock together or neither), issued and
/// returned, never below zero in a room; a volunteer's kit.
@Suite("Finance: insignia and equipment stock")
struct StockTests {
    static func store() async throws -> (FinanceStore, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("finance-stock-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("finance.sqlite").path
        let store = try FinanceStore.open(path: path)
        _ = try await store.openFunder(code: "TOWN", name: "镇财政", kind: .town, actor: "t", requestID: "r")
        _ = try await store.grant(Money(yuan: "1000")!, funder: "TOWN", year: 2010, category: .equipment, transferID: 1, memo: "", actor: "t", requestID: "r")
        return (store, path)
    }

    @Test("a purchase pays from the equipment line and fills the room, once; one the line cannot pay adds nothing")
    func purchases() async throws {
        let (store, _) = try await Self.store()
        let vests = { try await store.purchase(.vest, quantity: 40, room: "镇综治办", unitPrice: Money(yuan: "15")!, funder: "TOWN", year: 2010,
                                               transferID: 10, actor: "t", requestID: "r") }
        #expect(try await vests() == .created)
        #expect(try await vests() == .exists, "a retried purchase")
        #expect(try await store.onHand(room: "镇综治办") == [.vest: 40])
        #expect(try await store.account(code: LedgerCodes.line(funder: "TOWN", year: 2010, .equipment))?.available == Money(yuan: "400"))
        let tooDear = try await store.purchase(.armband, quantity: 100, room: "镇综治办", unitPrice: Money(yuan: "5")!, funder: "TOWN", year: 2010,
                                               transferID: 11, actor: "t", requestID: "r")
        #expect(tooDear.succeeded == false)
        #expect(try await store.onHand(room: "镇综治办")[.armband] == nil, "no money, no armbands")
    }

    @Test("issuing more than the room holds is refused naming what is there, even 30 at once; returns only of what was issued; a kit")
    func issueAndReturn() async throws {
        let (store, path) = try await Self.store()
        _ = try await store.purchase(.armband, quantity: 20, room: "一村", unitPrice: Money(yuan: "2")!, funder: "TOWN", year: 2010, transferID: 10,
                                     actor: "t", requestID: "r")
        let results = await withTaskGroup(of: Bool.self) { group in
            for volunteer in 1...30 {
                group.addTask {
                    (try? await store.moveStock(.armband, quantity: 1, room: "一村", kind: .issue(to: .volunteer(Int64(volunteer))), note: "",
                                                actor: "t", requestID: "r")) != nil
                }
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        let emptied = try await store.onHand(room: "一村")
        #expect(results.count { $0 } == 20 && emptied[.armband] == 0)
        await #expect {
            try await store.moveStock(.armband, quantity: 1, room: "一村", kind: .issue(to: .team(7)), note: "", actor: "t", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.rule == "STOCK_SHORT" && ($0 as? Refusal)?.rules.first?.message.contains("0 armband on hand") == true }

        var holder: Int64 = 0
        for volunteer in Int64(1)...30 where try await store.kit(volunteerID: volunteer)[.armband] == 1 {
            holder = volunteer
            break
        }
        #expect(holder > 0)
        try await store.moveStock(.armband, quantity: 1, room: "一村", kind: .giveBack(from: .volunteer(holder)), note: "离队", actor: "t", requestID: "r")
        let kit = try await store.kit(volunteerID: holder)
        let back = try await store.onHand(room: "一村")
        #expect(kit.isEmpty && back[.armband] == 1)
        await #expect {
            try await store.moveStock(.armband, quantity: 1, room: "一村", kind: .giveBack(from: .volunteer(holder)), note: "", actor: "t", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.rule == "NOT_HELD" }
        try await store.moveStock(.armband, quantity: 1, room: "一村", kind: .loss, note: "受潮损坏", actor: "t", requestID: "r")
        let written = try await store.onHand(room: "一村")
        #expect(written[.armband] == 0)

        let raw = try DatabaseQueue(path: path)
        defer { try? raw.close() }
        for sql in ["UPDATE stock_movements SET quantity = 100", "DELETE FROM stock_movements"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try raw.write { try $0.execute(sql: sql) } }
        }
    }
}

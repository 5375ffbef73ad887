import PinganRPC
import PinganServiceKit
import Testing

@Suite("A page of a list by volunteer id")
struct VolunteerListPageTests {
    @Test("a page keeps a volunteer's rows together and names the last volunteer it holds as the next page's start")
    func grouped() throws {
        let page = try VolunteerListPage(pageSize: 2, afterVolunteerID: 0)
        #expect(page.limit == 3)
        let rows: [(id: Int64, line: String)] = [(3, "a"), (3, "b"), (5, "c"), (9, "d"), (9, "e")]
        let (kept, next) = page.split(rows) { $0.id }
        #expect(kept.map(\.line) == ["a", "b", "c"] && next == 5)
        let (all, none) = page.split(Array(rows.prefix(3))) { $0.id }
        #expect(all.count == 3 && none == 0, "two volunteers fit: no next page")
        let single = try VolunteerListPage(pageSize: 0, afterVolunteerID: 12)
        #expect(single.size == 1_000 && single.after == 12)
    }

    @Test("page_size and after_volunteer_id out of range are refused naming the field and the rule")
    func refused() {
        #expect { _ = try VolunteerListPage(pageSize: -1, afterVolunteerID: 0) } throws: {
            ($0 as? RPCError)?.code == .invalidArgument && ($0 as? RPCError)?.message == "page_size: must be 1-10000 (0 means 1000), got -1"
        }
        #expect { _ = try VolunteerListPage(pageSize: 10, afterVolunteerID: -2) } throws: {
            ($0 as? RPCError)?.message == "after_volunteer_id: must not be negative, got -2"
        }
    }
}

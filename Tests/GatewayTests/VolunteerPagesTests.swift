@testable import Gateway
import PinganRPC
import Synchronization
import Testing

@Suite("Gateway: lists a service gives a page at a time")
struct VolunteerPagesTests {
    @Test("every page is asked for, from 0 and then from each answer's next id, until one says none follows")
    func follows() async throws {
        let asked = Mutex<[Int64]>([])
        let pages = try await VolunteerPages.all({ after in
            asked.withLock { $0.append(after) }
            return after == 0 ? (rows: [1, 2], next: Int64(2)) : after == 2 ? (rows: [3, 4], next: 4) : (rows: [5], next: 0)
        }, next: \.next)
        #expect(pages.flatMap(\.rows) == [1, 2, 3, 4, 5])
        #expect(asked.withLock { $0 } == [0, 2, 4])
    }

    @Test("a next id that does not move forward is an error, not a loop")
    func stuck() async throws {
        let asked = Mutex(0)
        await #expect {
            _ = try await VolunteerPages.all({ _ in
                asked.withLock { $0 += 1 }
                return Int64(7)
            }, next: { $0 })
        } throws: { ($0 as? RPCError)?.message == "next_after_volunteer_id: 7 does not follow 7; the service's pages are out of order" }
        #expect(asked.withLock { $0 } == 2)
    }
}

@testable import Duty
import PinganRPC
import Testing

@Suite("Which contenders the registry calls active")
struct ActiveAmongTests {
    @Test("only active volunteers come back: not suspended, not withdrawn, not unknown ones; more than 16 asked at once")
    func activeOnly() async throws {
        func status(_ id: Int) -> String {
            if id % 3 == 0 { return "withdrawn" }
            return id % 5 == 0 ? "suspended" : "active"
        }
        let people: [DutyVolunteer] = (1...40).map { id in
            DutyVolunteer(id: Int64(id), name: "队员\(id)", unitCode: "JC-001", status: status(id))
        }
        let directory = FakeDutyDirectory(people)
        let asked: [Int64] = Array(1...40) + [404, 405]
        let active = try await directory.activeAmong(asked, deadline: nil, requestID: "t")
        let expected = Set(people.filter { $0.status == "active" }.map { $0.id })
        #expect(active == expected && active.count == 21)
        #expect(try await directory.activeAmong([], deadline: nil, requestID: "t").isEmpty)
    }

    @Test("a registry that cannot answer fails the look-up instead of ranking on a partial answer")
    func registryDown() async {
        let directory = FakeDutyDirectory([DutyVolunteer(id: 1, name: "队员1", unitCode: "JC-001", status: "active")])
        directory.failure.withLock { $0 = RPCError(.unavailable, "registry is down") }
        await #expect(throws: RPCError.self) { try await directory.activeAmong([1, 2, 3], deadline: nil, requestID: "t") }
    }
}

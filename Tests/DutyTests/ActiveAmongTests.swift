@testable import Duty
import PinganRPC
import PinganVolunteerReplica
import Testing

@Suite("Which contenders duty's copy of the registry calls active")
struct ActiveAmongTests {
    @Test("only active volunteers come back: not suspended, not withdrawn, not unknown ones; more than a statement binds at once")
    func activeOnly() async throws {
        func status(_ id: Int) -> String {
            if id % 3 == 0 { return "withdrawn" }
            return id % 5 == 0 ? "suspended" : "active"
        }
        let store = try DutyStore.inMemory()
        let generation = try await store.replica.startCopy()
        try await store.replica.copy((1...40).map { ReplicaVolunteer(id: Int64($0), name: "队员\($0)", unitCode: "JC-001", category: 5, status: status($0)) },
                                     generation: generation)
        try await store.replica.finishCopy(generation: generation, position: 1)
        let expected = Set((1...40).filter { status($0) == "active" }.map(Int64.init))
        #expect(try await store.activeAmong(Array(1...40) + [404, 405]) == expected && expected.count == 21)
        #expect(try await store.activeAmong([]).isEmpty)
        #expect(try await store.activeAmong(Array(41...40_000) + [1, 2, 3]) == [1, 2], "ids past the first slice are asked too")
    }
}

import Foundation
import GRDB
import PinganPersonalData
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTesting
import PinganRules
import PinganServiceKit
import PinganStore
import PinganTestSupport
@testable import Registry
import Testing

/// The registry's change feed: written with each change, resumable, scoped, pruned with a
/// clear answer for what is gone.
@Suite("Registry change feed")
struct ChangeFeedTests {
    static func feed(_ store: RegistryStore, as role: Role = .admin, unit: String? = nil) throws -> InProcessTransport {
        let reader = try #require(store.handle.feed)
        return InProcessTransport.serving([RegistryService(store: store), FeedService(feed: reader, pollInterval: .milliseconds(20))], as: role, unit: unit)
    }

    static func events(_ transport: InProcessTransport, after: Int64 = 0) async throws -> [Pingan_Feed_V1_ChangeEvent] {
        var request = Pingan_Feed_V1_WatchRequest()
        request.after = after
        request.stopWhenCaughtUp = true
        var events: [Pingan_Feed_V1_ChangeEvent] = []
        for try await event in try await transport.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
            events.append(event)
        }
        return events
    }

    static func register(_ store: RegistryStore, batch: String, unit: String, range: ClosedRange<Int>) async throws {
        let rows = range.map { DirectedBatch.Row(number: $0 - range.lowerBound + 1, name: "队员\($0)", idNumber: RegistryFixtures.idNumber(sequence: $0)) }
        _ = try await store.registerBatch(DirectedBatch(batchID: batch, unitCode: unit, category: 5, rows: rows), plan: .townPlan2010, actor: "office", requestID: "r")
    }

    @Test("each registration, status change and transfer is an event in order, a team's creation and renaming too, with the volunteer masked; a refused batch leaves none")
    func eventsWithChanges() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        try await Self.register(store, batch: "a", unit: "JC-017", range: 1...3)
        await #expect(throws: Refusal.self) { try await Self.register(store, batch: "dup", unit: "JC-017", range: 3...4) }
        let team = try await store.saveTeam(id: nil, unitCode: "JC-018", name: "巡逻一队", leaderID: nil, scope: nil, actor: "office", requestID: "r")
        _ = try await store.transfer(volunteerID: 1, toTeam: team.id, reason: "搬家", scope: nil, actor: "office", requestID: "r")
        _ = try await store.saveTeam(id: team.id, unitCode: "JC-018", name: "巡逻二队", leaderID: nil, scope: nil, actor: "office", requestID: "r")

        let all = try await Self.events(try Self.feed(store))
        #expect(all.map { "\($0.kind) \($0.action)" }.suffix(3) == ["team created", "volunteer transferred", "team updated"])
        let renamed = try Pingan_Registry_V1_Team(serializedBytes: all[all.count - 1].state)
        #expect(renamed.name == "巡逻二队" && renamed.members == 1 && all.last?.stateType == "pingan.registry.v1.Team" && all.last?.unitCode == "JC-018")
        let events = all.filter { $0.kind == "volunteer" }
        #expect(events.map(\.action) == ["registered", "registered", "registered", "transferred"])
        #expect(events.map(\.sequence) == events.map(\.sequence).sorted() && Set(events.map(\.sequence)).count == events.count)
        let first = try Pingan_Registry_V1_Volunteer(serializedBytes: events[0].state)
        #expect(events[0].stateType == "pingan.registry.v1.Volunteer" && events[0].kind == "volunteer" && events[0].entityID == "1")
        // A registration's state is prepared before the write, its id put in front after the
        // insert: byte for byte what a masked read of the new volunteer encodes.
        // (Volunteer 1 has moved since.)
        for (event, id) in zip(events[1...2], Int64(2)...) {
            let read = try #require(try await store.volunteer(id: id, unmasked: false, actor: "t", requestID: "r"))
            #expect(event.state == (try RegistryService.message(read).serializedData()), "volunteer \(id)")
        }
        #expect(first.idNumber.contains("*") && first.idNumber != RegistryFixtures.idNumber(sequence: 1), "masked: \(first.idNumber)")
        let moved = try Pingan_Registry_V1_Volunteer(serializedBytes: events[3].state)
        #expect(events[3].unitCode == "JC-018" && moved.unitCode == "JC-018")
        #expect(try await Self.events(try Self.feed(store), after: events[1].sequence).map(\.sequence) == all.map(\.sequence).filter { $0 > events[1].sequence }, "resumes after")
    }

    @Test("a batch larger than one INSERT: every volunteer gets the id of its row and an event carrying its own state, in row order")
    func largeBatch() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        try await Self.register(store, batch: "small", unit: "JC-017", range: 1...2)
        let size = RegistryStore.rowsPerInsert * 2 + 201
        let rows = (3...(size + 2)).map { id in
            DirectedBatch.Row(number: id - 2, name: "队员\(id)", idNumber: RegistryStoreTests.idNumber(born: "1980-01-0\(2 + id / 1000)", sequence: id % 1000))
        }
        _ = try await store.registerBatch(DirectedBatch(batchID: "large", unitCode: "JC-018", category: 5, rows: rows), plan: .townPlan2010,
                                          actor: "office", requestID: "r")
        let events = try await Self.events(try Self.feed(store)).filter { $0.kind == "volunteer" }
        #expect(events.map(\.entityID) == (1...(size + 2)).map(String.init))
        for id in [3, 2 + RegistryStore.rowsPerInsert, 3 + RegistryStore.rowsPerInsert, size + 2] {
            let read = try #require(try await store.volunteer(id: Int64(id), unmasked: false, actor: "t", requestID: "r"))
            #expect(read.name == "队员\(id)", "row \(id - 2) of the batch is volunteer \(id)")
            #expect(events[id - 1].state == (try RegistryService.message(read).serializedData()), "volunteer \(id)")
        }
    }

    @Test("batches of many different sizes leave the writer with a bounded number of prepared statements, not one per size")
    func statementsBounded() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        func prepared() async throws -> Int {
            try await store.writer.write { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_stmt") ?? 0 }
        }
        var next = 1
        func register(_ count: Int) async throws {
            let rows = (next..<(next + count)).map { id in
                DirectedBatch.Row(number: id - next + 1, name: "队员\(id)",
                                  idNumber: RegistryStoreTests.idNumber(born: "1980-01-\(String(format: "%02d", 1 + id / 1000))", sequence: id % 1000))
            }
            _ = try await store.registerBatch(DirectedBatch(batchID: "b\(next)", unitCode: "JC-017", category: 5, rows: rows), plan: .townPlan2010,
                                              actor: "office", requestID: "r")
            next += count
        }
        try await register(RegistryStore.rowsPerInsert + 1)
        let settled = try await prepared()
        for remainder in 2...13 { try await register(RegistryStore.rowsPerInsert + remainder) }
        #expect(try await prepared() <= settled + 2, "12 more batch sizes")
    }

    @Test("a clerk follows only their unit's events; a live watcher gets new events as they commit")
    func scopedAndLive() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        try await Self.register(store, batch: "a", unit: "JC-017", range: 1...2)
        try await Self.register(store, batch: "b", unit: "JC-018", range: 3...5)
        #expect(try await Self.events(try Self.feed(store, as: .clerk, unit: "JC-018")).map(\.entityID) == ["3", "4", "5"])

        let transport = try Self.feed(store)
        let live = Task { () -> [Int64] in
            var request = Pingan_Feed_V1_WatchRequest()
            request.after = 5
            var seen: [Int64] = []
            for try await event in try await transport.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
                seen.append(event.sequence)
                if seen.count == 2 { break }
            }
            return seen
        }
        try await Task.sleep(for: .milliseconds(100))
        try await Self.register(store, batch: "c", unit: "JC-017", range: 6...7)
        #expect(try await live.value == [6, 7])
    }

    @Test("events pruned away answer OUT_OF_RANGE naming what is kept; watching from there works")
    func pruned() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        try await Self.register(store, batch: "a", unit: "JC-017", range: 1...3)
        let reader = try #require(store.handle.feed)
        try await Self.register(store, batch: "other", unit: "JC-018", range: 10...10)
        #expect(try await Self.position(store) == [4, 0])
        #expect(try await Self.position(store, unit: "JC-017") == [3, 0], "a clerk's position: their unit's last event, no one else's")
        #expect(try await Self.position(store, unit: "JC-019") == [0, 0])
        #expect(try await reader.prune(olderThan: "9999-01-01T00:00:00Z") == 4)
        #expect(try await Self.position(store) == [4, 4], "an emptied feed still knows its last number")
        #expect(try await Self.position(store, unit: "JC-017") == [4, 4], "never before where pruning ended")
        try await Self.register(store, batch: "b", unit: "JC-017", range: 4...4)
        #expect(try await Self.position(store) == [5, 4])
        #expect(try await Self.position(store, unit: "JC-018") == [4, 4])
        await #expect {
            _ = try await Self.events(try Self.feed(store), after: 1)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .outOfRange && error.message.contains("events up to 4 are no longer kept")
        }
        #expect(try await Self.events(try Self.feed(store), after: 4).map(\.entityID) == ["5"])
        #expect(throws: (any Error).self, "events are immutable in the file") {
            try store.writer.writeWithoutTransaction { try $0.execute(sql: "UPDATE change_feed SET action = 'x'") }
        }
    }

    /// Position over the wire, as [last_sequence, pruned_through]: as an admin, or as a clerk of `unit`.
    static func position(_ store: RegistryStore, unit: String? = nil) async throws -> [Int64] {
        let transport = try unit.map { try Self.feed(store, as: .clerk, unit: $0) } ?? Self.feed(store)
        let answer: Pingan_Feed_V1_FeedPosition = try await transport.unary(FeedMethods.position, Pingan_Feed_V1_PositionRequest())
        return [answer.lastSequence, answer.prunedThrough]
    }

    @Test("followers are bounded: one past the limit is RESOURCE_EXHAUSTED, and a place frees when a follower leaves")
    func boundedFollowers() async throws {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        let reader = try #require(store.handle.feed)
        let transport = InProcessTransport.serving([FeedService(feed: reader, pollInterval: .milliseconds(20), maximumFollowers: 2)], as: .admin)
        let request = Pingan_Feed_V1_WatchRequest()
        let first = try await transport.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent>
        let second = try await transport.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent>
        func third() async -> RPCError? {
            do {
                _ = try await Self.events(transport)  // ends once caught up when it is let in: no hang if the bound breaks
                return nil
            } catch { return error as? RPCError }
        }
        try await Task.sleep(for: .milliseconds(100))  // both followers are in their loops
        #expect(await third()?.code == .resourceExhausted)
        _ = consume first
        var freed = false
        for _ in 0..<100 where !freed {
            try await Task.sleep(for: .milliseconds(20))
            freed = (try? await Self.events(transport)) != nil
        }
        #expect(freed, "the first follower's place was freed when it went")
        _ = second
    }
}

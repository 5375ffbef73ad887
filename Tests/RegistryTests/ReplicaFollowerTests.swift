import Foundation
import GRDB
import NIOCore
import Synchronization
import Logging
import PinganProtocolContracts
import Prometheus
import PinganRegistryContracts
import PinganRPC
import PinganRPCTesting
import PinganRPCTransport
import PinganServiceKit
import PinganTestSupport
import PinganVolunteerReplica
@testable import Registry
@testable import Training
import Testing

/// Training's copy of the registry's volunteers (duty keeps the same), made and kept by a
/// follower of the real registry service and its feed.
@Suite("A copy of the registry's volunteers, following its feed", .timeLimit(.minutes(1)))
struct ReplicaFollowerTests {
    /// The registry as a peer service calls it.
    static func registry() async throws -> (RegistryStore, InProcessTransport) {
        let (_, store) = try await RegistryServiceTests.clerkServer()
        let feed = try #require(store.handle.feed)
        return (store, InProcessTransport.serving([RegistryService(store: store), FeedService(feed: feed)], as: .service))
    }

    /// What the copy holds: "id unit status team" per volunteer, by id.
    static func rows(_ store: TrainingStore) async throws -> [String] {
        try await store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, unit_code, status, team_name FROM registry_volunteers ORDER BY id").map {
                "\($0[0] as Int64) \($0[1] as String) \($0[2] as String) \($0[3] as String? ?? "-")"
            }
        }
    }

    static func follower(_ copy: TrainingStore, _ registry: any ClientTransport) -> ReplicaFollower {
        // Polls rarely: only a waiting report makes it look, which is what is tested.
        ReplicaFollower(replica: copy.replica, registry: registry, logger: Logger(label: "test"), pollInterval: .seconds(60))
    }

    @Test("copies what the registry has, then follows it: a registration, a transfer and a team renamed just before a report are in it; events applied twice change nothing")
    func copiesThenFollows() async throws {
        let (registry, transport) = try await Self.registry()
        try await ChangeFeedTests.register(registry, batch: "a", unit: "JC-017", range: 1...3)
        let copy = try TrainingStore.inMemory()
        let follower = Self.follower(copy, transport)
        let running = Task { await follower.run() }
        defer { running.cancel() }

        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy) == ["1 JC-017 active -", "2 JC-017 active -", "3 JC-017 active -"])

        try await ChangeFeedTests.register(registry, batch: "b", unit: "JC-018", range: 4...4)
        let team = try await registry.saveTeam(id: nil, unitCode: "JC-018", name: "巡逻一队", leaderID: nil, scope: nil, actor: "office", requestID: "r")
        _ = try await registry.transfer(volunteerID: 1, toTeam: team.id, reason: "搬家", scope: nil, actor: "office", requestID: "r")
        _ = try await registry.saveTeam(id: team.id, unitCode: "JC-018", name: "巡逻二队", leaderID: nil, scope: nil, actor: "office", requestID: "r")
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        let caughtUp = try await Self.rows(copy)
        #expect(caughtUp == ["1 JC-018 active 巡逻二队", "2 JC-017 active -", "3 JC-017 active -",
                             "4 JC-018 active -"])

        // Every event once more, oldest first (what a copy made during changes replays): the
        // copy ends as it was.
        try await copy.replica.apply(try await ChangeFeedTests.events(transport))
        #expect(try await Self.rows(copy) == caughtUp)
    }

    @Test("a copy behind what the registry still keeps is made again from scratch")
    func behindRetention() async throws {
        let (registry, transport) = try await Self.registry()
        try await ChangeFeedTests.register(registry, batch: "a", unit: "JC-017", range: 1...2)
        let copy = try TrainingStore.inMemory()
        let first = Self.follower(copy, transport)
        let running = Task { await first.run() }
        try await first.catchUp(deadline: .now + .seconds(10), requestID: "t")
        running.cancel()
        await running.value
        let position = try #require(try await copy.replica.cursor()?.position)

        try await ChangeFeedTests.register(registry, batch: "b", unit: "JC-018", range: 3...4)
        try await #require(registry.handle.feed).prune(olderThan: "9999-01-01T00:00:00Z")
        let second = Self.follower(copy, transport)
        let again = Task { await second.run() }
        defer { again.cancel() }
        try await second.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy).count == 4)
        #expect(try await copy.replica.cursor()?.position ?? 0 > position)

    }

    @Test("a registry restored from a backup (its feed behind the copy) is copied again: noticed by a report, at a restart, and by the follower when idle")
    func registryRestored() async throws {
        let (before, beforeTransport) = try await Self.registry()
        try await ChangeFeedTests.register(before, batch: "a", unit: "JC-017", range: 1...3)
        let (restored, restoredTransport) = try await Self.registry()
        try await ChangeFeedTests.register(restored, batch: "a", unit: "JC-018", range: 1...1)

        // While following: the registry is swapped for the restored one under the follower.
        let registry = SwitchableTransport(beforeTransport)
        let copy = try TrainingStore.inMemory()
        let follower = Self.follower(copy, registry)
        let running = Task { await follower.run() }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy).count == 3)
        registry.current.withLock { $0 = restoredTransport }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy) == ["1 JC-018 active -"], "what the restored registry has, nothing more")
        running.cancel()
        await running.value

        // At a restart: a copy made from the registry before the restore.
        let older = try TrainingStore.inMemory()
        let first = Self.follower(older, beforeTransport)
        let firstRun = Task { await first.run() }
        try await first.catchUp(deadline: .now + .seconds(10), requestID: "t")
        firstRun.cancel()
        await firstRun.value
        let restarted = Self.follower(older, restoredTransport)
        let following = Task { await restarted.run() }
        defer { following.cancel() }
        try await restarted.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(older) == ["1 JC-018 active -"])

        // By the follower itself, with no report asking: when it next finds nothing new.
        let third = try TrainingStore.inMemory()
        let switchable = SwitchableTransport(beforeTransport)
        let polling = ReplicaFollower(replica: third.replica, registry: switchable, logger: Logger(label: "test"), pollInterval: .milliseconds(20))
        let polled = Task { await polling.run() }
        defer { polled.cancel() }
        try await polling.catchUp(deadline: .now + .seconds(10), requestID: "t")
        switchable.current.withLock { $0 = restoredTransport }
        var waited = 0
        while try await Self.rows(third) != ["1 JC-018 active -"], waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try await Self.rows(third) == ["1 JC-018 active -"])
    }

    /// A copy of `registry` whose last event, volunteer `id`'s registration, came by the feed
    /// (a copy's first events come by an export, without them).
    static func followedCopy(_ registry: RegistryStore, _ transport: InProcessTransport, registering id: Int) async throws -> TrainingStore {
        let copy = try TrainingStore.inMemory()
        let follower = Self.follower(copy, transport)
        let running = Task { await follower.run() }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        try await ChangeFeedTests.register(registry, batch: "v\(id)", unit: "JC-017", range: id...id)
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        running.cancel()
        await running.value
        #expect(try await copy.replica.cursor()?.event?.sequence == Int64(id))
        return copy
    }

    @Test("a registry restored from a backup and changed since, past the copy's position, is copied again: while following, and at a restart before any report reads the old history")
    func registryRestoredAndChanged() async throws {
        let (before, beforeTransport) = try await Self.registry()
        try await ChangeFeedTests.register(before, batch: "a", unit: "JC-017", range: 1...2)
        // The restored registry: one volunteer kept, then four others registered after the
        // restore - its feed is at 5, past the copies' 3 and 4, with other events there.
        let (restored, restoredTransport) = try await Self.registry()
        try await ChangeFeedTests.register(restored, batch: "a", unit: "JC-018", range: 1...1)
        try await ChangeFeedTests.register(restored, batch: "b", unit: "JC-018", range: 2...5)
        let restoredRows = (1...5).map { "\($0) JC-018 active -" }

        // While following: the registry is swapped under the follower, which looks every 20 ms.
        let copy = try await Self.followedCopy(before, beforeTransport, registering: 3)
        let switchable = SwitchableTransport(beforeTransport)
        let polling = ReplicaFollower(replica: copy.replica, registry: switchable, logger: Logger(label: "test"), pollInterval: .milliseconds(20))
        let polled = Task { await polling.run() }
        defer { polled.cancel() }
        try await polling.catchUp(deadline: .now + .seconds(10), requestID: "t")
        switchable.current.withLock { $0 = restoredTransport }
        var waited = 0
        while try await Self.rows(copy) != restoredRows, waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(try await Self.rows(copy) == restoredRows)

        // At a restart: the first report already reads the restored registry's volunteers.
        let older = try await Self.followedCopy(before, beforeTransport, registering: 4)
        let restarted = Self.follower(older, restoredTransport)
        let following = Task { await restarted.run() }
        defer { following.cancel() }
        try await restarted.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(older) == restoredRows)
    }

    @Test("a follower that lost the registry and finds it restored at the copy's very position, with other events, holds reports until it has compared")
    func reconnectedAtSamePosition() async throws {
        let (before, beforeTransport) = try await Self.registry()
        try await ChangeFeedTests.register(before, batch: "a", unit: "JC-017", range: 1...2)
        let copy = try await Self.followedCopy(before, beforeTransport, registering: 3)
        let (restored, restoredTransport) = try await Self.registry()
        try await ChangeFeedTests.register(restored, batch: "a", unit: "JC-018", range: 1...3)

        let switchable = SwitchableTransport(beforeTransport)
        let follower = ReplicaFollower(replica: copy.replica, registry: switchable, logger: Logger(label: "test"), pollInterval: .milliseconds(20))
        let running = Task { await follower.run() }
        defer { running.cancel() }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        // The registry goes away (a service that answers nothing) until the follower has
        // failed and started again; then the restored one answers, its feed at 3 like the copy.
        // Counted from after the swap, every call goes to the service that is gone; the second
        // comes from a follow started again (the first failure ends a follow).
        switchable.current.withLock { $0 = InProcessTransport.serving([], as: .service) }
        let calls = switchable.calls.load(ordering: .acquiring)
        var waited = 0
        while switchable.calls.load(ordering: .acquiring) < calls + 2, waited < 1000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        switchable.current.withLock { $0 = restoredTransport }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy) == ["1 JC-018 active -", "2 JC-018 active -", "3 JC-018 active -"])
    }

    @Test("a copy whose last event the registry has pruned since follows on from after it, without copying again")
    func lastEventPruned() async throws {
        let (registry, transport) = try await Self.registry()
        try await ChangeFeedTests.register(registry, batch: "a", unit: "JC-017", range: 1...2)
        let prometheus = PrometheusCollectorRegistry()
        let copy = try TrainingStore.inMemory()
        let follower = ReplicaFollower(replica: copy.replica, registry: transport, logger: Logger(label: "test"), pollInterval: .seconds(60),
                                       metrics: PrometheusMetricsFactory(registry: prometheus))
        let running = Task { await follower.run() }
        defer { running.cancel() }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        try await ChangeFeedTests.register(registry, batch: "b", unit: "JC-017", range: 3...3)
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await copy.replica.cursor()?.event?.sequence == 3)

        try await #require(registry.handle.feed).prune(olderThan: "9999-01-01T00:00:00Z")
        try await ChangeFeedTests.register(registry, batch: "c", unit: "JC-018", range: 4...4)
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        #expect(try await Self.rows(copy).last == "4 JC-018 active -")
        #expect(prometheus.emitToString().contains("pingan_registry_copies_total 1"))
    }

    @Test("an operator sees the copy's feed position, how far behind the registry it was at its last look, and how many full copies were made")
    func metrics() async throws {
        let (registry, transport) = try await Self.registry()
        try await ChangeFeedTests.register(registry, batch: "a", unit: "JC-017", range: 1...3)
        let prometheus = PrometheusCollectorRegistry()
        let copy = try TrainingStore.inMemory()
        let follower = ReplicaFollower(replica: copy.replica, registry: transport, logger: Logger(label: "test"), pollInterval: .milliseconds(20),
                                       metrics: PrometheusMetricsFactory(registry: prometheus))
        let running = Task { await follower.run() }
        defer { running.cancel() }
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        try await ChangeFeedTests.register(registry, batch: "b", unit: "JC-017", range: 4...5)
        try await follower.catchUp(deadline: .now + .seconds(10), requestID: "t")
        // The gauge is set when the follower next looks and finds nothing new (every 20 ms
        // here; later on a loaded machine): wait for that look, bounded.
        var text = prometheus.emitToString()
        for _ in 0..<500 where !text.contains("pingan_registry_copy_behind_events 0") {
            try await Task.sleep(for: .milliseconds(10))
            text = prometheus.emitToString()
        }
        #expect(text.contains("pingan_registry_copy_position 5"), "\(text)")
        #expect(text.contains("pingan_registry_copy_behind_events 0"), "\(text)")
        #expect(text.contains("pingan_registry_copies_total 1"), "\(text)")
    }

    @Test("stopped in the middle of a call to the registry, the follower ends without a warning that the registry cannot be followed")
    func stopsQuietly() async throws {
        let records = LogRecords()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        let registry = HangingTransport()
        let follower = ReplicaFollower(replica: try TrainingStore.inMemory().replica, registry: registry, logger: logger, pollInterval: .seconds(60))
        let running = Task { await follower.run() }
        while registry.calls.load(ordering: .acquiring) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        running.cancel()
        await running.value
        #expect(records.messages.withLock { $0 }.isEmpty)
    }

    @Test("a registry that cannot be reached fails a report's catch-up (UNAVAILABLE, or DEADLINE_EXCEEDED on a loaded machine), never a report on an old copy")
    func registryDown() async throws {
        let copy = try TrainingStore.inMemory()
        let unreachable = RPCClient(host: "127.0.0.1", port: 1, tls: try TestCertificates.context(.client, identity: "client"))
        let follower = Self.follower(copy, unreachable)
        await #expect {
            try await follower.catchUp(deadline: .now + .seconds(5), requestID: "t")
        } throws: { [.unavailable, .deadlineExceeded].contains(($0 as? RPCError)?.code) }
        await unreachable.close()
    }
}

/// A transport whose server can be replaced while calls go on, as a registry restarted from a
/// restored file would be.
final class SwitchableTransport: ClientTransport {
    let current: Mutex<InProcessTransport>
    /// Calls made through it so far.
    let calls = Atomic<Int>(0)

    init(_ transport: InProcessTransport) {
        current = Mutex(transport)
    }

    func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        calls.add(1, ordering: .releasing)
        return try await current.withLock { $0 }.unary(method, payload: payload, options: options)
    }

    func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource {
        calls.add(1, ordering: .releasing)
        return try await current.withLock { $0 }.serverStreaming(method, payload: payload, options: options)
    }

    func clientStreaming(_ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void) async throws -> ByteBuffer {
        calls.add(1, ordering: .releasing)
        return try await current.withLock { $0 }.clientStreaming(method, options: options, body)
    }
}

/// A registry that never answers: a call waits until it is cancelled, then fails CANCELLED as
/// the real client's does.
final class HangingTransport: ClientTransport {
    let calls = Atomic<Int>(0)

    private func hang() async throws -> Never {
        calls.add(1, ordering: .releasing)
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        throw RPCError(.cancelled, "the call was cancelled")
    }

    func unary(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> ByteBuffer {
        try await hang()
    }

    func serverStreaming(_ method: MethodDescriptor, payload: ByteBuffer, options: CallOptions) async throws -> any ResponseSource {
        try await hang()
    }

    func clientStreaming(_ method: MethodDescriptor, options: CallOptions, _ body: (any RequestSink) async throws -> Void) async throws -> ByteBuffer {
        try await hang()
    }
}

/// The messages logged at warning or above.
final class LogRecords: Sendable {
    let messages = Mutex<[String]>([])
}

struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .warning

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.messages.withLock { $0.append("\(event.level) \(event.message)") }
    }
}

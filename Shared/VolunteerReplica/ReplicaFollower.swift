import CoreMetrics
import Logging
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import Synchronization

/// Keeps a `VolunteerReplica` current: copies the registry's volunteers once (Position, then
/// ExportVolunteers, then the feed after that position), then applies the registry's change
/// feed as it grows. A report first calls `catchUp`, which waits until the copy reflects every
/// change the registry had committed when the report asked: a report is never older than its
/// request, and costs one small call to the registry instead of exporting every volunteer.
public final class ReplicaFollower: Sendable {
    /// Feed events applied per transaction.
    static let batchSize = 1000
    /// How often the follower looks at the registry's feed when nobody waits for it.
    let pollInterval: Duration
    /// How long an export of every volunteer may take (a million takes about a minute).
    static let exportLimit: Duration = .seconds(600)

    let replica: VolunteerReplica
    let registry: any ClientTransport
    let logger: Logger
    /// What an operator watches: how far the copy is, how far behind the registry it was when
    /// the follower last looked, and how many full copies were made (one at first start; more
    /// mean a copy fell behind the registry's retention, or the registry was restored).
    private let positionGauge: Gauge
    private let behindGauge: Gauge
    private let copies: Counter
    /// The position the copy is known to reflect (-1: no complete copy yet).
    private let applied = Atomic<Int64>(-1)
    /// The highest position a waiting report needs: above `applied`, the follower looks now.
    private let wanted = Atomic<Int64>(-1)
    private let wakeup = Wakeup()
    /// Set by a report that found the registry's feed behind the copy: the follower copies again.
    private let rewound = Atomic<Bool>(false)

    public init(replica: VolunteerReplica, registry: any ClientTransport, logger: Logger, pollInterval: Duration = .milliseconds(200),
                metrics: any MetricsFactory = MetricsSystem.factory) {
        self.replica = replica
        self.registry = registry
        self.logger = logger
        self.pollInterval = pollInterval
        positionGauge = Gauge(label: "pingan_registry_copy_position", factory: metrics)
        behindGauge = Gauge(label: "pingan_registry_copy_behind_events", factory: metrics)
        copies = Counter(label: "pingan_registry_copies_total", factory: metrics)
    }

    /// Follows the registry until cancelled: a lost registry is tried again (0.1 s, doubling to
    /// 5 s); a position the registry no longer keeps, or a registry whose feed is behind the
    /// copy or has another event where the copy is (restored from a backup), starts a new copy.
    public func run() async {
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                do {
                    try await follow()
                    return
                } catch let error as RPCError where error.code == .outOfRange {
                    logger.warning("the registry no longer keeps the feed this copy follows: copying again", metadata: ["error": "\(error.message)"])
                    try await forget()
                } catch let rewound as FeedRewound {
                    logger.warning("\(rewound.reason): copying again")
                    try await forget()
                }
            } catch is CancellationError {
                return
            } catch where Task.isCancelled {
                return  // a call cut short by the stop (CANCELLED) is not a registry to retry
            } catch {
                logger.warning("the registry cannot be followed; trying again", metadata: ["error": "\(error)", "retry.after": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
                continue
            }
            delay = .milliseconds(100)
        }
    }

    /// Waits until the copy reflects every change the registry committed before this call.
    /// Throws the registry's error when it cannot say where it stands, DEADLINE_EXCEEDED when
    /// the copy is still behind at `deadline` (UNAVAILABLE while a first copy is being made).
    public func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws {
        let deadline = deadline ?? .now + .seconds(5)
        var metadata = Metadata()
        metadata.requestID = requestID
        let position: Pingan_Feed_V1_FeedPosition = try await registry.unary(
            FeedMethods.position, Pingan_Feed_V1_PositionRequest(), options: CallOptions(deadline: deadline, metadata: metadata))
        let target = position.lastSequence
        let reached = applied.load(ordering: .acquiring)
        if reached > target {
            // Past what the registry has: events committed since it answered, or a registry
            // restored from a backup, whose feed numbers start again below the copy's. Asked
            // again, a live registry is at least where the copy is.
            let again: Pingan_Feed_V1_FeedPosition = try await registry.unary(
                FeedMethods.position, Pingan_Feed_V1_PositionRequest(), options: CallOptions(deadline: deadline, metadata: metadata))
            guard again.lastSequence < reached else { return }
            rewound.store(true, ordering: .releasing)
            applied.store(-1, ordering: .releasing)
        } else if reached == target {
            return
        }
        _ = wanted.max(target, ordering: .relaxed)
        wakeup.signal()
        while applied.load(ordering: .acquiring) < target {
            guard ContinuousClock.now < deadline else {
                let reached = applied.load(ordering: .acquiring)
                if reached < 0 {
                    let copied = (try? await replica.count()) ?? 0
                    throw RPCError(.unavailable, "the registry's volunteers are still being copied (\(copied) so far)")
                }
                throw RPCError(.deadlineExceeded, "the registry's changes are applied up to \(reached) of \(target)")
            }
            // A copy being made takes seconds: many reports waiting for one look less often.
            try await Task.sleep(for: applied.load(ordering: .relaxed) < 0 ? .milliseconds(50) : .milliseconds(2))
        }
    }

    private func follow() async throws {
        // Reports wait until the registry has shown it still has the event the copy applied
        // last: a registry restored from a backup (reached again only after its restart) and
        // changed since may be at the copy's numbers with other events.
        applied.store(-1, ordering: .releasing)
        var cursor: FeedCursor
        if let known = try await replica.cursor() {
            try await checkNotBehind(known.position)
            cursor = known
        } else {
            cursor = FeedCursor(position: try await copyEverything())
        }
        rewound.store(false, ordering: .relaxed)
        positionGauge.record(cursor.position)
        while !Task.isCancelled {
            let next = try await applyFeed(from: cursor)
            applied.store(next.position, ordering: .releasing)
            // Nothing new: the registry is where the copy is, unless it was restored behind it.
            if next.position == cursor.position { try await checkNotBehind(next.position) }
            cursor = next
            if wanted.load(ordering: .relaxed) > cursor.position { continue }
            await wakeup.wait(upTo: pollInterval)
            if rewound.load(ordering: .acquiring) {
                throw FeedRewound("a report found the registry's feed behind this copy (restored from a backup?)")
            }
        }
        throw CancellationError()
    }

    /// Throws `FeedRewound` when the registry's feed ends before `position`: a live registry
    /// has committed every event the copy applied, so only a restored one can be behind it.
    private func checkNotBehind(_ position: Int64) async throws {
        let registry: Pingan_Feed_V1_FeedPosition = try await registry.unary(FeedMethods.position, Pingan_Feed_V1_PositionRequest())
        guard registry.lastSequence >= position else {
            throw FeedRewound("the registry's feed is behind this copy (\(registry.lastSequence) < \(position): restored from a backup?)")
        }
        behindGauge.record(registry.lastSequence - position)
    }

    /// Drops the copy's position: the next round copies everything again.
    private func forget() async throws {
        applied.store(-1, ordering: .releasing)
        _ = try await replica.startCopy()
    }

    /// Every volunteer, into a new generation of the copy; returns the feed position the copy
    /// starts from (read before the export, so no change made during it is missed).
    private func copyEverything() async throws -> Int64 {
        let started = ContinuousClock.now
        let generation = try await replica.startCopy()
        let position: Pingan_Feed_V1_FeedPosition = try await registry.unary(FeedMethods.position, Pingan_Feed_V1_PositionRequest())
        let stream = try await RegistryClient(registry).exportVolunteers(Pingan_Registry_V1_ExportVolunteersRequest(),
                                                                         options: CallOptions(timeout: Self.exportLimit))
        var batch: [ReplicaVolunteer] = []
        var copied = 0
        for try await volunteer in stream {
            batch.append(ReplicaVolunteer(volunteer))
            if batch.count == Self.batchSize {
                try await replica.copy(batch, generation: generation)
                copied += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await replica.copy(batch, generation: generation)
        copied += batch.count
        try await replica.finishCopy(generation: generation, position: position.lastSequence)
        copies.increment()
        logger.info("the registry's volunteers copied", metadata: [
            "volunteers": "\(copied)", "feed.position": "\(position.lastSequence)", "duration": "\(ContinuousClock.now - started)"])
        return position.lastSequence
    }

    /// Applies every event after the cursor that the registry has now. When the copy knows the
    /// event at its position, the registry is asked from the one before and must send that
    /// same event first, or its history is not the one the copy followed.
    private func applyFeed(from cursor: FeedCursor) async throws -> FeedCursor {
        guard let expected = cursor.event else { return try await applyFeed(after: cursor.position, expecting: nil) }
        do {
            return try await applyFeed(after: cursor.position, expecting: expected)
        } catch let error as RPCError where error.code == .outOfRange {
            // That event is no longer kept (pruned): on from after it, with nothing to compare.
            return try await applyFeed(after: cursor.position, expecting: nil)
        }
    }

    private func applyFeed(after position: Int64, expecting expected: Pingan_Feed_V1_ChangeEvent?) async throws -> FeedCursor {
        var request = Pingan_Feed_V1_WatchRequest()
        request.after = expected == nil ? position : position - 1
        request.stopWhenCaughtUp = true
        let stream = try await registry.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent>
        var batch: [Pingan_Feed_V1_ChangeEvent] = []
        var cursor = FeedCursor(position: position, event: expected)
        var unchecked = expected
        for try await event in stream {
            if let expected = unchecked {
                guard event == expected else {
                    throw FeedRewound("the registry's event \(position) is not the one this copy applied (the registry was restored from a backup and changed since?)")
                }
                unchecked = nil
                continue
            }
            batch.append(event)
            if batch.count == Self.batchSize {
                cursor = try await apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if unchecked != nil { throw FeedRewound("the registry's feed ends before this copy's position \(position) (restored from a backup?)") }
        return batch.isEmpty ? cursor : try await apply(batch)
    }

    private func apply(_ events: [Pingan_Feed_V1_ChangeEvent]) async throws -> FeedCursor {
        try await replica.apply(events)
        let last = events[events.count - 1]
        applied.store(last.sequence, ordering: .releasing)
        positionGauge.record(last.sequence)
        return FeedCursor(position: last.sequence, event: last)
    }
}

/// The registry's feed is not the history the copy followed: it was restored from a backup.
struct FeedRewound: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

/// Wakes a waiting follower early: one waiter, a signal before the wait is not lost.
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled, after `limit` or when the task is cancelled, whichever is first.
    func wait(upTo limit: Duration) async {
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: limit)) != nil else { return }  // cancelled: signalled already
            self?.signal()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            signal()  // a follower being stopped stops waiting
        }
        timer.cancel()
    }
}

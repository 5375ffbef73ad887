import Foundation
import Synchronization
import PinganProtocolContracts
import PinganRPC
import PinganStore

/// `/pingan.feed.v1.Feed/Watch`: the service's change feed as a resumable stream, and `Position`:
/// where it stands. The host serves both for every service whose store keeps a feed.
public struct FeedService: RPCService {
    /// Events read from the store at a time.
    static let pageSize = 500

    let feed: ChangeFeedReader
    /// Who may follow it: who may read the service's data.
    let access: Access
    /// How long a caught-up stream waits before looking again: an indexed read of nothing new
    /// costs little, and a follower is at most this much behind. (A hook per committing
    /// transaction would wake it sooner, but one per event made a bulk import quadratic.)
    let pollInterval: Duration

    /// Followers at once: each looks at the database every `pollInterval`, so a peer opening
    /// streams by the thousand must not turn them into thousands of reads a second.
    let followers: FollowerCount

    public init(feed: ChangeFeedReader, access: Access = .anyRole, pollInterval: Duration = .milliseconds(50), maximumFollowers: Int = 64) {
        self.feed = feed
        self.access = access
        self.pollInterval = pollInterval
        self.followers = FollowerCount(limit: maximumFollowers)
    }

    public func register(with router: inout Router) {
        router.registerServerStreaming(FeedMethods.watch(access: access)) { (request: Pingan_Feed_V1_WatchRequest, writer: ServerStreamWriter<Pingan_Feed_V1_ChangeEvent>, context) in
            try await watch(request, writer, context)
        }
        router.register(FeedMethods.position(access: access)) { (_: Pingan_Feed_V1_PositionRequest, context) in
            try await position(context)
        }
    }

    func position(_ context: ServerContext) async throws -> Pingan_Feed_V1_FeedPosition {
        let (last, pruned) = try await feed.position(unit: context.caller?.unitScope)
        var answer = Pingan_Feed_V1_FeedPosition()
        answer.lastSequence = last
        answer.prunedThrough = pruned
        return answer
    }

    func watch(_ request: Pingan_Feed_V1_WatchRequest, _ writer: ServerStreamWriter<Pingan_Feed_V1_ChangeEvent>, _ context: ServerContext) async throws {
        guard request.after >= 0 else { throw RPCError(.invalidArgument, "after: must not be negative, got \(request.after)") }
        let pruned = try await feed.prunedThrough()
        // Events after `after` that are gone would be missed without a word: refuse instead.
        guard request.after >= pruned else {
            throw RPCError(.outOfRange, "after: events up to \(pruned) are no longer kept; the oldest kept follows \(pruned): re-export, then watch after \(pruned)")
        }
        guard followers.enter() else {
            throw RPCError(.resourceExhausted, "the change feed has \(followers.limit) followers already: try again later")
        }
        defer { followers.leave() }
        let unit = context.caller?.unitScope
        var cursor = request.after
        while !Task.isCancelled {
            let events = try await feed.events(after: cursor, limit: Self.pageSize, unit: unit)
            for event in events {
                try await writer.write(Self.message(event))
                cursor = event.sequence
            }
            if events.count == Self.pageSize { continue }
            if request.stopWhenCaughtUp { return }
            try await Task.sleep(for: pollInterval)
        }
    }

    static func message(_ event: ChangeEvent) -> Pingan_Feed_V1_ChangeEvent {
        var message = Pingan_Feed_V1_ChangeEvent()
        message.sequence = event.sequence
        message.at = event.at
        message.actor = event.actor
        message.kind = event.kind
        message.entityID = event.entityID
        message.action = event.action
        message.unitCode = event.unitCode ?? ""
        message.stateType = event.stateType
        message.state = event.state
        return message
    }
}

/// How many streams follow a feed at once, bounded.
final class FollowerCount: Sendable {
    let limit: Int
    private let count = Mutex(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// False when the limit is reached.
    func enter() -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        count.withLock { $0 -= 1 }
    }
}

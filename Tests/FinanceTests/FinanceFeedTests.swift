@testable import Finance
import PinganProtocolContracts
import PinganRPC
import PinganRPCTesting
import PinganServiceKit
import Testing

/// Finance's change feed: its money for the money's people only.
@Suite("Finance: change feed")
struct FinanceFeedTests {
    static func watch(_ store: FinanceStore, as role: Role) async throws -> [Pingan_Feed_V1_ChangeEvent] {
        let feed = try #require(store.handle.feed)
        let transport = InProcessTransport.serving([FeedService(feed: feed, access: FinanceDefinition.feedAccess)], as: role)
        var request = Pingan_Feed_V1_WatchRequest()
        request.stopWhenCaughtUp = true
        var events: [Pingan_Feed_V1_ChangeEvent] = []
        for try await event in try await transport.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
            events.append(event)
        }
        return events
    }

    @Test("transfers and batches are events for admins, finance and auditors; a trainer or coordinator is refused, not shown an empty feed, nor where it stands")
    func access() async throws {
        let store = try FinanceStore.inMemory()
        try await AllowanceTests.setUp(store)
        for role in [Role.admin, .finance, .auditor] {
            #expect(try await Self.watch(store, as: role).map(\.action) == ["posted", "posted"], "\(role): the two grants")
        }
        let feed = try #require(store.handle.feed)
        for role in [Role.trainer, .coordinator] {
            await #expect { _ = try await Self.watch(store, as: role) } throws: { ($0 as? RPCError)?.code == .permissionDenied }
            // Where the feed stands says how much money moved: the same people only.
            let transport = InProcessTransport.serving([FeedService(feed: feed, access: FinanceDefinition.feedAccess)], as: role)
            await #expect {
                let _: Pingan_Feed_V1_FeedPosition = try await transport.unary(FeedMethods.position, Pingan_Feed_V1_PositionRequest())
            } throws: { ($0 as? RPCError)?.code == .permissionDenied }
        }
        let auditor = InProcessTransport.serving([FeedService(feed: feed, access: FinanceDefinition.feedAccess)], as: .auditor)
        let position: Pingan_Feed_V1_FeedPosition = try await auditor.unary(FeedMethods.position, Pingan_Feed_V1_PositionRequest())
        #expect(position.lastSequence == 2 && position.prunedThrough == 0)
    }
}

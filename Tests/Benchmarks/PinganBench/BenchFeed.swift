import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// The registry's change feed: how many events a follower reads per second catching up, and
/// how far behind a live follower falls while a bulk import writes. Prints one JSON line.
struct BenchFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "feed", abstract: "Measure the change feed: catch-up rate and lag under a bulk import.")

    @Option var host = "127.0.0.1"
    @Option var port = 7401
    @Option(help: "Volunteers imported before the catch-up read.") var volunteers = 50_000
    @Option(help: "Volunteers imported while a follower watches.") var live = 20_000
    @Option(help: "Rows per batch.") var batchSize = 2_000
    @OptionGroup var tls: TLSFlags

    func run() async throws {
        let context = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca))
        let writer = try await RPCConnection.connect(host: host, port: port, tls: context)
        _ = try await BenchRegistry.importVolunteers(writer, count: volunteers, batchSize: batchSize)

        // Catch-up: everything so far, as fast as one follower reads it.
        let reader = try await RPCConnection.connect(host: host, port: port, tls: context)
        var request = Pingan_Feed_V1_WatchRequest()
        request.stopWhenCaughtUp = true
        let started = ContinuousClock.now
        var read = 0
        var last: Int64 = 0
        for try await event in try await reader.serverStreaming(FeedMethods.watch, request) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
            read += 1
            last = event.sequence
        }
        let catchUp = BenchRegistry.seconds(ContinuousClock.now - started)

        // Lag: a live follower while batches commit; for each batch, from its acknowledgement to
        // the follower holding its last event.
        let seenThrough = NIOLockedValueBox<(Int64, ContinuousClock.Instant)>((last, .now))
        var follow = Pingan_Feed_V1_WatchRequest()
        follow.after = last
        let target = last + Int64(live)
        let follower = Task {
            for try await event in try await reader.serverStreaming(FeedMethods.watch, follow) as ResponseStream<Pingan_Feed_V1_ChangeEvent> {
                seenThrough.withLockedValue { $0 = (event.sequence, .now) }
                if event.sequence >= target { return }
            }
        }
        var lags: [Double] = []
        var expected = last
        for start in stride(from: 0, to: live, by: batchSize) {
            let count = min(batchSize, live - start)
            _ = try await BenchRegistry.importBatch(writer, start: volunteers + start, count: count)
            let acknowledged = ContinuousClock.now
            expected += Int64(count)
            while true {
                let (sequence, at) = seenThrough.withLockedValue { $0 }
                if sequence >= expected {
                    lags.append(max(0, BenchRegistry.seconds(at - acknowledged)) * 1000)
                    break
                }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        try await follower.value
        lags.sort()
        await reader.close()
        await writer.close()
        print(#"{"catch_up_events":\#(read),"catch_up_seconds":\#(twoDecimals(catchUp)),"catch_up_events_per_s":\#(Int(Double(read) / catchUp)),"live_rows":\#(live),"batch_size":\#(batchSize),"lag_ms_p50":\#(oneDecimal(lags[lags.count / 2])),"lag_ms_max":\#(oneDecimal(lags.last ?? 0))}"#)
    }
}

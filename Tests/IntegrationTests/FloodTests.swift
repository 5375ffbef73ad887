import Foundation
import NIOCore
import NIOPosix
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// The attack the issue reported, against the real executable: 1,100 TCP connections that send
/// nothing, which used to fill the connection limit and lock every client out until the
/// handshake timeout freed slots.
@Suite("A flood of silent connections", .timeLimit(.minutes(2)))
struct FloodTests {
    /// Opens `count` TCP connections from `sources` in turn, sending nothing; those the server
    /// refuses close at once.
    static func flood(port: Int, count: Int, sources: [String]) async throws -> [any Channel] {
        try await withThrowingTaskGroup(of: (any Channel)?.self) { group in
            for index in 0..<count {
                group.addTask { try? await ConnectionLifecycleTests.rawTCPConnection(port: port, from: sources[index % sources.count]) }
            }
            var channels: [any Channel] = []
            for try await channel in group { if let channel { channels.append(channel) } }
            return channels
        }
    }

    static func health(_ client: RPCClient) async throws -> Duration {
        let started = ContinuousClock.now
        let answer: Pingan_Health_V1_HealthCheckResponse = try await client.unary(
            HealthService.check, Pingan_Health_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(5)))
        #expect(answer.status == .serving)
        return ContinuousClock.now - started
    }

    static func microseconds(_ durations: [Duration], _ quantile: Double) -> Int {
        let sorted = durations.sorted()
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))]
        return Int(value.components.seconds * 1_000_000 + value.components.attoseconds / 1_000_000_000_000)
    }

    @Test("Health keeps answering legitimate clients, old connections and new, while 1,100 silent connections arrive",
          arguments: [["127.0.0.2"], (2...101).map { "127.0.0.\($0)" }])
    func legitimateClientsServed(_ sources: [String]) async throws {
        let service = try RunningProcess(try BuiltExecutables.path("pingan-registry"),
                                         ["--port", "0", "--metrics-port", "0"] + ExecutableTests.tlsFlags
                                            + (try ExecutableTests.storageFlags()))
        defer { service.kill() }
        let line = try await service.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let tls = try TestCertificates.context(.client, identity: "client")
        let established = RPCClient(host: "127.0.0.1", port: port, tls: tls)
        var before: [Duration] = []
        for _ in 0..<100 { before.append(try await Self.health(established)) }

        let silent = try await Self.flood(port: port, count: 1_100, sources: sources)
        var during: [Duration] = []
        for _ in 0..<200 { during.append(try await Self.health(established)) }
        // A client connecting now, from an address the flood does not use.
        let newcomer = RPCClient(host: "127.0.0.1", port: port, tls: tls, configuration: RPCClientConfiguration(connectTimeout: .seconds(3)))
        var newcomerAnswered = false
        do {
            _ = try await Self.health(newcomer)
            newcomerAnswered = true
        } catch {}
        #expect(newcomerAnswered, "the oldest silent handshake makes room for a new client")
        let held = silent.filter(\.isActive).count
        print("flood from \(sources.count) address(es): \(held) of 1100 silent connections still held; "
              + "\(during.count) of 200 calls answered on an established connection, p50 \(Self.microseconds(during, 0.5)) us, "
              + "p99 \(Self.microseconds(during, 0.99)) us (before: p50 \(Self.microseconds(before, 0.5)) us, "
              + "p99 \(Self.microseconds(before, 0.99)) us); a new connection \(newcomerAnswered ? "was answered" : "was refused")")
        #expect(during.count == 200)
        for channel in silent { try? await channel.close() }
        await established.close()
        await newcomer.close()
    }
}

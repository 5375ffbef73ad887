import ArgumentParser
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// What a fresh connection costs a one-shot client such as the CLI: TCP, the mutual TLS 1.3
/// handshake and the preface, then one Health call, `count` times in a row. Prints one JSON
/// line: connect and first-call percentiles, with a Health call on an open connection as the
/// same-run baseline.
struct BenchHandshake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "handshake", abstract: "Measure connection set-up against a call.")

    @Option var host = "127.0.0.1"
    @Option var port = 7401
    @Option var count = 500
    @OptionGroup var tls: TLSFlags

    func run() async throws {
        let context = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca))
        var connects: [Int64] = []
        var firstCalls: [Int64] = []
        for _ in 0..<count {
            let started = ContinuousClock.now
            let connection = try await RPCConnection.connect(host: host, port: port, tls: context)
            let connected = ContinuousClock.now
            let _: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
            connects.append(Self.nanoseconds(connected - started))
            firstCalls.append(Self.nanoseconds(ContinuousClock.now - connected))
            await connection.close()
        }
        let connection = try await RPCConnection.connect(host: host, port: port, tls: context)
        var calls: [Int64] = []
        for _ in 0..<count {
            let started = ContinuousClock.now
            let _: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
            calls.append(Self.nanoseconds(ContinuousClock.now - started))
        }
        await connection.close()
        func percentile(_ samples: [Int64], _ p: Double) -> String {
            let sorted = samples.sorted()
            return oneDecimal(Double(sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]) / 1000)
        }
        print(#"{"connections":\#(count),"connect_p50_us":\#(percentile(connects, 0.5)),"connect_p99_us":\#(percentile(connects, 0.99)),"first_call_p50_us":\#(percentile(firstCalls, 0.5)),"first_call_p99_us":\#(percentile(firstCalls, 0.99)),"call_on_open_connection_p50_us":\#(percentile(calls, 0.5)),"call_on_open_connection_p99_us":\#(percentile(calls, 0.99))}"#)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

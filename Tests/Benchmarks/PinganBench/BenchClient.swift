import Foundation
import ArgumentParser
import NIOCore
import PinganRPCTransport
import PinganTLS

/// Closed-loop client: C connections, K workers each, every worker on its connection's event
/// loop so a call never changes thread.
struct BenchClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "client", abstract: "Measure unary calls per second and latency.")

    /// 46 payload bytes encode to a 48-byte message.
    static let requestPayloadSize = 46

    @Option var host = "127.0.0.1"
    @Option var port = 50051
    @Option var connections = 1
    @Option var concurrency = 1
    @Option var duration: Double = 10
    @Option var warmup: Double = 2
    @OptionGroup var tls: TLSFlags

    func validate() throws {
        guard connections >= 1, connections <= 256 else { throw ValidationError("--connections must be 1-256") }
        guard concurrency >= 1, concurrency <= 1024 else { throw ValidationError("--concurrency must be 1-1024") }
        guard duration > 0, warmup >= 0 else { throw ValidationError("--duration must be > 0 and --warmup >= 0") }
    }

    func run() async throws {
        var configuration = TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca)
        configuration.tls13CipherSuites = tls.ciphersuites
        let context = try TLSContext(configuration: configuration)

        var echoRequest = Pingan_Bench_V1_EchoRequest()
        echoRequest.payload = Data(repeating: 0x07, count: Self.requestPayloadSize)
        let request = echoRequest

        var open: [RPCConnection] = []
        for index in 0..<connections {
            let connection = try await RPCConnection.connect(host: host, port: port, tls: context)
            let noDelay = try await connection.channel.getOption(.tcpOption(.tcp_nodelay)).get()
            printError("pingan-bench client: conn \(index) tcp_nodelay=\(noDelay)")
            let _: Pingan_Bench_V1_EchoResponse = try await connection.unary(BenchServer.echo, request)  // priming
            open.append(connection)
        }

        let clock = ContinuousClock()
        let start = clock.now
        let measureFrom = start + .milliseconds(Int64(warmup * 1000))
        let end = measureFrom + .milliseconds(Int64(duration * 1000))
        let switchesBefore = ContextSwitches.read()

        let latencies = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for connection in open {
                for _ in 0..<concurrency {
                    group.addTask(executorPreference: connection.taskExecutor) {
                        try await Self.worker(connection, request: request, measureFrom: measureFrom, end: end)
                    }
                }
            }
            var all: [Int64] = []
            for try await samples in group { all.append(contentsOf: samples) }
            return all
        }
        let switchesAfter = ContextSwitches.read()
        for connection in open { await connection.close() }

        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1000
        }
        let requests = sorted.count
        let perCall = requests > 0 ? Double(switchesAfter - switchesBefore) / Double(requests) : 0
        print(#"{"peer":"pingan","connections":\#(connections),"concurrency":\#(concurrency),"requests":\#(requests),"rps":\#(Int((Double(requests) / duration).rounded())),"p50_us":\#(oneDecimal(percentile(0.5))),"p99_us":\#(oneDecimal(percentile(0.99))),"p999_us":\#(oneDecimal(percentile(0.999))),"client_ctx_switches_per_call":\#(twoDecimals(perCall))}"#)
    }

    /// Latencies in nanoseconds of the calls that started after the warm-up and ended in time.
    private static func worker(
        _ connection: RPCConnection, request: Pingan_Bench_V1_EchoRequest,
        measureFrom: ContinuousClock.Instant, end: ContinuousClock.Instant
    ) async throws -> [Int64] {
        var samples: [Int64] = []
        samples.reserveCapacity(1 << 16)
        while true {
            let started = ContinuousClock.now
            if started >= end { return samples }
            let _: Pingan_Bench_V1_EchoResponse = try await connection.unary(BenchServer.echo, request)
            let finished = ContinuousClock.now
            if started >= measureFrom, finished <= end {
                let (seconds, attoseconds) = (finished - started).components
                samples.append(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            }
        }
    }
}

/// Voluntary plus involuntary context switches of every thread of this process so far
/// (`/proc/self/status` alone counts only the main thread).
enum ContextSwitches {
    static func read() -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.reduce(0) { total, task in
            guard let status = try? String(contentsOfFile: "/proc/self/task/\(task)/status", encoding: .utf8) else { return total }
            return total + status.split(separator: "\n")
                .filter { $0.hasPrefix("voluntary_ctxt_switches") || $0.hasPrefix("nonvoluntary_ctxt_switches") }
                .compactMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }
                .reduce(0, +)
        }
    }
}

func oneDecimal(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

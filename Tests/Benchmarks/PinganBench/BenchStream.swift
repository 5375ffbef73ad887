import ArgumentParser
import Foundation
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// Streams `--messages` responses from the server, pausing once to show that a slow reader
/// leaves the server's memory flat; prints one JSON line with the server's RSS over time.
struct BenchStream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stream", abstract: "Measure a server stream to a slow reader.")

    @Option var host = "127.0.0.1"
    @Option var port = 50051
    @Option var messages = 1_000_000
    @Option(help: "Read this many messages, then stop reading for --pause seconds.") var pauseAfter = 100_000
    @Option var pause: Double = 3
    @Option(help: "The server's process id, to read its RSS from /proc.") var serverPid: Int32
    @OptionGroup var tls: TLSFlags

    func run() async throws {
        var configuration = TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca)
        configuration.tls13CipherSuites = tls.ciphersuites
        let connection = try await RPCConnection.connect(host: host, port: port, tls: TLSContext(configuration: configuration))
        let rssAtStart = Self.rssKilobytes(of: serverPid)

        var request = Pingan_Bench_V1_StreamRequest()
        request.count = Int64(messages)
        let started = ContinuousClock.now
        var paused = Duration.zero
        var received = 0
        var rssPauseStart = 0, rssPauseEnd = 0, rssPeak = rssAtStart
        let stream: ResponseStream<Pingan_Bench_V1_EchoResponse> = try await connection.serverStreaming(BenchServer.stream, request)
        for try await _ in stream {
            received += 1
            if received % 50_000 == 0 { rssPeak = max(rssPeak, Self.rssKilobytes(of: serverPid)) }
            if received == pauseAfter {
                rssPauseStart = Self.rssKilobytes(of: serverPid)
                let pauseStarted = ContinuousClock.now
                try await Task.sleep(for: .milliseconds(Int64(pause * 1000)))
                rssPauseEnd = Self.rssKilobytes(of: serverPid)
                paused = ContinuousClock.now - pauseStarted
            }
        }
        let streaming = ContinuousClock.now - started - paused
        let seconds = Double(streaming.components.seconds) + Double(streaming.components.attoseconds) / 1e18
        rssPeak = max(rssPeak, Self.rssKilobytes(of: serverPid))
        await connection.close()
        print(#"{"peer":"pingan","stream_messages":\#(received),"message_bytes":256,"messages_per_s":\#(Int(Double(received) / seconds)),"server_rss_kb_start":\#(rssAtStart),"server_rss_kb_pause_start":\#(rssPauseStart),"server_rss_kb_pause_end":\#(rssPauseEnd),"server_rss_kb_peak":\#(rssPeak)}"#)
    }

    static func rssKilobytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
    }
}

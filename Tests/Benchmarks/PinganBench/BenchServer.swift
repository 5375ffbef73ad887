import Foundation
import ArgumentParser
import Logging
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// Serves `/pingan.bench.v1.Bench/Echo` until killed.
struct BenchServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server", abstract: "Serve the echo method.")

    static let echo = MethodDescriptor(service: "pingan.bench.v1.Bench", method: "Echo", isIdempotent: true)
    /// 253 payload bytes encode to a 256-byte message (tag, 2-byte length, payload).
    static let responsePayloadSize = 253

    @Option var host = "127.0.0.1"
    @Option var port = 50051
    @OptionGroup var tls: TLSFlags

    func run() async throws {
        var logger = Logger(label: "pingan-bench-server")
        logger.logLevel = .warning
        var router = Router()
        var response = Pingan_Bench_V1_EchoResponse()
        response.payload = Data(repeating: 0x2A, count: Self.responsePayloadSize)
        let fixed = response
        router.register(Self.echo) { (_: Pingan_Bench_V1_EchoRequest, _) in fixed }
        ReflectionService().register(with: &router)

        var configuration = TLSConfiguration(role: .server, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca)
        configuration.tls13CipherSuites = tls.ciphersuites
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: host, port: port, tls: configuration),
            router: router, logger: logger)
        printError("pingan-bench server: listening on \(host):\(server.port)")
        // Runs until run.sh sends SIGTERM, whose default action ends the process.
        while true {
            try await Task.sleep(for: .seconds(3600))
        }
    }
}

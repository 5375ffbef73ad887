import Foundation
import ArgumentParser
import Logging
import NIOConcurrencyHelpers
import PinganRPC
import PinganRPCTransport
import PinganServiceHost
import PinganTLS

/// Serves `/pingan.bench.v1.Bench/Echo` until killed.
struct BenchServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "server", abstract: "Serve the echo method.")

    static let echo = MethodDescriptor(service: "pingan.bench.v1.Bench", method: "Echo", isIdempotent: true, access: .anyVerifiedPeer)
    static let stream = MethodDescriptor(service: "pingan.bench.v1.Bench", method: "Stream", kind: .serverStreaming, access: .anyVerifiedPeer)
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
        let served = NIOLockedValueBox(0)
        router.register(Self.echo) { (_: Pingan_Bench_V1_EchoRequest, _) in
            served.withLockedValue { $0 += 1 }
            return fixed
        }
        router.registerServerStreaming(Self.stream) { (request: Pingan_Bench_V1_StreamRequest, writer: ServerStreamWriter<Pingan_Bench_V1_EchoResponse>, _) in
            for _ in 0..<request.count {
                try await writer.write(fixed)
            }
        }
        ReflectionService().register(with: &router)

        var configuration = TLSConfiguration(role: .server, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca)
        configuration.tls13CipherSuites = tls.ciphersuites
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(host: host, port: port, tls: configuration),
            router: router, accessControl: AccessControl(AccessControlList()), logger: logger)
        printError("pingan-bench server: listening on \(host):\(server.port)")
        let switchesAtStart = ContextSwitches.read()
        _ = await TerminationSignal.next()
        // Context switches per call, server side: a figure of merit next to calls/s.
        let switches = ContextSwitches.read() - switchesAtStart
        let calls = served.withLockedValue { $0 }
        printError(#"{"server_calls":\#(calls),"server_ctx_switches":\#(switches),"server_ctx_switches_per_call":\#(twoDecimals(calls > 0 ? Double(switches) / Double(calls) : 0))}"#)
        await server.close()
    }
}

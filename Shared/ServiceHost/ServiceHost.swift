import Dispatch
import Logging
import NIOPosix
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// What every Pingan executable does between parsing its options and exiting: log to stdout,
/// serve its methods plus Health and Reflection over mutual TLS, stop on SIGTERM or SIGINT.
public enum ServiceHost {
    /// The Pingan release, reported by Health/Check.
    public static let version = "0.1.0"

    public static func run(name: String, defaultPort: Int, options: ServiceOptions, services: [any RPCService]) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = Logger.Level(rawValue: options.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: name)

        var router = Router()
        for service in services {
            service.register(with: &router)
        }
        HealthService(serverName: name, version: version).register(with: &router)
        ReflectionService().register(with: &router)

        var tls = TLSConfiguration(role: .server, certificateChainPath: options.cert, privateKeyPath: options.key, trustRootsPath: options.ca)
        tls.handshakeTimeout = .seconds(10)
        let configuration = RPCServerConfiguration(host: options.host, port: try options.resolvedPort(default: defaultPort), tls: tls)
        let server = try await RPCServer.start(configuration: configuration, router: router, logger: logger)

        let signal = await TerminationSignal.next()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        await server.close()
    }
}

/// Waits for SIGTERM or SIGINT.
public enum TerminationSignal {
    /// Returns the name of the first of the two signals to arrive.
    public static func next() async -> String {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "pingan.signals")
            let resumed = ResumeOnce(continuation)
            var sources: [any DispatchSourceSignal] = []
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                Glibc.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { resumed.resume(name) }
                source.resume()
                sources.append(source)
            }
            // The sources must outlive this closure; they live as long as the process.
            SignalSources.keep(sources)
        }
    }
}

/// Resumes a continuation once, whichever signal comes first. Used only on one serial queue.
private final class ResumeOnce: @unchecked Sendable {
    private var continuation: CheckedContinuation<String, Never>?
    init(_ continuation: CheckedContinuation<String, Never>) { self.continuation = continuation }
    func resume(_ value: String) {
        continuation?.resume(returning: value)
        continuation = nil
    }
}

private enum SignalSources {
    nonisolated(unsafe) private static var kept: [any DispatchSourceSignal] = []
    static func keep(_ sources: [any DispatchSourceSignal]) { kept = sources }
}

#if canImport(Glibc)
import Glibc
#endif

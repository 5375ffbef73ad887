import Dispatch
import Foundation
import Synchronization
import Logging
import Metrics
import Prometheus
import NIOPosix
import PinganRPC
import PinganRPCTransport
import PinganTLS

/// What every Pingan executable does between parsing its options and exiting: log to stdout,
/// serve its methods plus Health and Reflection over mutual TLS, stop on SIGTERM or SIGINT.
public enum ServiceHost {
    /// The Pingan release, reported by Health/Check.
    public static let version = PinganVersion.current

    public static func run(name: String, defaultPort: Int, options: ServiceOptions, services: [any RPCService]) async throws {
        try await run(name: name, settings: options.settings(defaultPort: defaultPort, environment: ProcessInfo.processInfo.environment),
                      services: services)
    }

    public static func run(name: String, settings: ServiceSettings, services: [any RPCService]) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardOutput(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: name)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        var router = Router()
        for service in services {
            service.register(with: &router)
        }
        let serving = ServingFlag()
        HealthService(serverName: name, version: version, isServing: { serving.isServing }).register(with: &router)
        ReflectionService().register(with: &router)

        let accessControl = AccessControl(try AccessControlList(contentsOf: settings.acl))
        logger.info("ACL loaded", metadata: ["acl.path": "\(settings.acl)", "acl.identities": "\(accessControl.list.count)"])

        var tls = TLSConfiguration(role: .server, certificateChainPath: settings.cert, privateKeyPath: settings.key, trustRootsPath: settings.ca)
        tls.handshakeTimeout = .seconds(10)
        let configuration = RPCServerConfiguration(host: settings.host, port: settings.port, tls: tls)
        let server = try await RPCServer.start(configuration: configuration, router: router, accessControl: accessControl, logger: logger)
        let metrics = try await MetricsEndpoint.start(
            host: "127.0.0.1", port: settings.metricsPort, registry: registry, logger: logger)

        let reloads = Task {
            for await _ in Signals.stream(SIGHUP) {
                reloadACL(accessControl, from: settings.acl, logger: logger)
            }
        }
        let signal = await TerminationSignal.next()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        reloads.cancel()
        serving.stop()
        await server.shutdown(gracePeriod: .seconds(settings.drainSeconds))
        try? await metrics.close()
    }

    /// Replaces the ACL from its file; a file that does not parse is refused and the old list
    /// stays in force.
    static func reloadACL(_ accessControl: AccessControl, from path: String, logger: Logger) {
        do {
            let list = try AccessControlList(contentsOf: path)
            accessControl.replace(with: list)
            logger.info("ACL reloaded", metadata: ["acl.path": "\(path)", "acl.identities": "\(list.count)"])
        } catch {
            logger.error("ACL reload refused; the previous ACL stays in force", metadata: ["acl.path": "\(path)", "error": "\(error)"])
        }
    }
}

/// Whether Health/Check reports SERVING; turned off when draining starts.
final class ServingFlag: Sendable {
    private let serving = Atomic(true)
    var isServing: Bool { serving.load(ordering: .relaxed) }
    func stop() { serving.store(false, ordering: .relaxed) }
}

/// Waits for SIGTERM or SIGINT.
public enum TerminationSignal {
    /// Returns the name of the first of the two signals to arrive.
    public static func next() async -> String {
        let signals = Signals.stream(SIGTERM, SIGINT)
        for await number in signals {
            return number == SIGTERM ? "SIGTERM" : "SIGINT"
        }
        return "none"
    }
}

/// POSIX signals as an AsyncStream, through Dispatch sources (the default action is turned off
/// for each signal so the process is not ended by it).
enum Signals {
    static func stream(_ numbers: Int32...) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "pingan.signals")
            let sources = numbers.map { number in
                Glibc.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let box = SourcesBox(sources)
            continuation.onTermination = { _ in box.cancel() }
        }
    }

    /// Keeps the sources alive for as long as the stream is; cancelled when it ends.
    private final class SourcesBox: Sendable {
        nonisolated(unsafe) let sources: [any DispatchSourceSignal]
        init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
        func cancel() { sources.forEach { $0.cancel() } }
    }
}

#if canImport(Glibc)
import Glibc
#endif

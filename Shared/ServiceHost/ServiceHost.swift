import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metrics
import NIOPosix
import Prometheus
import PinganCatalog
import PinganRPC
import PinganRPCTransport
import PinganServiceKit
import PinganStore
import PinganTLS

/// What every Pingan executable does between parsing its options and exiting: build the service
/// from its definition, log to stdout, serve its methods plus Health and Reflection over mutual
/// TLS, export metrics, reload the ACL and certificates on SIGHUP, drain and stop on SIGTERM or SIGINT.
public enum ServiceHost {
    /// The Pingan release, reported by Health/Check.
    public static let version = PinganVersion.current

    /// The executable's command configuration: its name from the catalog.
    public static func commandConfiguration<Definition: ServiceDefinition>(_: Definition.Type, abstract: String) -> CommandConfiguration {
        CommandConfiguration(commandName: Definition.entry.executable, abstract: abstract, version: version)
    }

    /// Builds `Definition` from resolved settings: its services and peer clients, Health,
    /// Reflection and the ACL. Nothing listens until `start`.
    public static func build<Definition: ServiceDefinition>(
        _: Definition.Type, settings: ServiceSettings, own: Definition.Settings.Resolved, logger: Logger
    ) async throws -> ServiceApplication {
        let accessControl = AccessControl(try AccessControlList(contentsOf: settings.acl))
        logger.info("ACL loaded", metadata: ["acl.path": "\(settings.acl)", "acl.identities": "\(accessControl.list.count)"])
        var clients: [ServiceName: RPCClient] = [:]
        if !settings.peers.isEmpty {
            // Peers are called as this service: its own certificate is its service identity.
            let tls = try TLSContext(configuration: TLSConfiguration(
                role: .client, certificateChainPath: settings.cert, privateKeyPath: settings.key, trustRootsPath: settings.ca))
            for (name, address) in settings.peers {
                clients[name] = RPCClient(host: address.host, port: address.port, tls: tls)
            }
        }
        let parts = try await Definition.makeServices(own, peers: Peers(clients), logger: logger)
        var router = Router()
        for service in parts.services { service.register(with: &router) }
        if let store = parts.store {
            AuditService(trail: store.auditTrail).register(with: &router)
            router.denials.recordDenials(with: AuditedDenials(trail: store.auditTrail, logger: logger))
            router.gate.install(DamageGate(health: store.health, logger: logger))
            if let feed = store.feed { FeedService(feed: feed, access: Definition.feedAccess).register(with: &router) }
        }
        let serving = ServingFlag()
        let health = parts.store?.health
        HealthService(serverName: Definition.entry.executable, version: version, isServing: {
            serving.isServing && health?.damageReport == nil
        }).register(with: &router)
        ReflectionService().register(with: &router)
        return ServiceApplication(name: Definition.name, router: router, accessControl: accessControl, settings: settings,
                                  peerClients: Array(clients.values), serving: serving, store: parts.store, jobs: parts.jobs, logger: logger)
    }

    /// Resolves every setting, then runs `Definition` until SIGTERM or SIGINT.
    public static func run<Definition: ServiceDefinition>(
        _ definition: Definition.Type, options: ServiceOptions, settings own: Definition.Settings
    ) async throws {
        let source = try options.source(environment: ProcessInfo.processInfo.environment, ownKeys: Definition.Settings.configKeys)
        let settings = try options.settings(for: Definition.entry, source: source)
        let resolved = try own.resolve(source)

        LoggingSystem.bootstrap { label in
            var handler = SanitizingLogHandler(wrapped: StreamLogHandler.standardOutput(label: label))
            handler.logLevel = settings.logLevel
            return handler
        }
        let logger = Logger(label: Definition.entry.executable)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        if let directory = options.backup {
            guard let database = Definition.databasePath(resolved) else { throw ValidationError("--backup: \(Definition.name) has no database") }
            let (path, manifest) = try DatabaseBackup.write(service: Definition.name.rawValue, database: database, into: directory, keep: options.keep)
            print("backup of \(database) written to \(path) (\(manifest.bytes) bytes, integrity \(manifest.integrity), \(manifest.migrations.count) migrations)")
            return
        }
        var restored: DatabaseBackup.RestoredSwap?
        if let backup = options.restore {
            guard let database = Definition.databasePath(resolved) else { throw ValidationError("--restore: \(Definition.name) has no database") }
            _ = try DatabaseBackup.manifest(of: backup, for: Definition.name.rawValue)
            restored = try DatabaseBackup.swapIn(backup, at: database)
        }
        if try await Definition.maintain(resolved, logger: logger) { return }
        let application: ServiceApplication
        do {
            application = try await build(definition, settings: settings, own: resolved, logger: logger)
        } catch {
            // A restored backup that does not open (newer than this binary, another key) is
            // taken out again: the database it replaced goes back.
            restored?.undo()
            if let error = error as? StoreError, error.damaged, options.checkDatabase {
                print("database damaged:\n  \(error)")  // damaged beyond opening
                throw ExitCode(1)
            }
            throw error
        }
        if let restored {
            try await application.checkDatabase()
            print("restored \(options.restore ?? "") into \(restored.database); the database it replaced is at \(restored.aside)")
            return
        }
        if options.checkDatabase {
            try await application.checkDatabase()
            return
        }
        let port = try await application.start()
        let metrics = try await MetricsEndpoint.start(host: "127.0.0.1", port: settings.metricsPort, registry: registry, logger: logger)
        // Listening, and the database migrated (in build): systemd may start what depends on us.
        let systemd = SystemdNotifier()
        systemd.notify("READY=1\nSTATUS=serving on port \(port)")
        let watchdog = systemd.keepAlive(MultiThreadedEventLoopGroup.singleton)

        let reloads = Task {
            for await _ in Signals.stream(SIGHUP) { application.reload() }
        }
        let pruning = application.pruneFeedHourly()
        let signal = await TerminationSignal.next()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        systemd.notify("STOPPING=1\nSTATUS=draining calls in flight")
        watchdog?.cancel()
        pruning?.cancel()
        reloads.cancel()
        await application.shutdown(gracePeriod: .seconds(settings.drainSeconds))
        try? await metrics.close()
    }
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

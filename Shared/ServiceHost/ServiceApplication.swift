import ArgumentParser
import Foundation
import Logging
import PinganCatalog
import PinganRPC
import PinganRPCTransport
import PinganServiceKit
import PinganStore
import PinganTLS
import Synchronization

/// A service built from its definition and settings, ready to start: what `ServiceHost.run`
/// runs, and what a test starts on port 0, calls and stops in-process.
public final class ServiceApplication: Sendable {
    public let name: ServiceName
    /// Every method it serves, Health and Reflection included.
    public let router: Router
    public let accessControl: AccessControl
    let settings: ServiceSettings
    let peerClients: [RPCClient]
    let store: StoreHandle?
    let logger: Logger
    private let serving: ServingFlag
    private let server = Mutex<RPCServer?>(nil)
    private let jobs: [@Sendable () async -> Void]
    private let running = Mutex<[Task<Void, Never>]>([])

    init(name: ServiceName, router: Router, accessControl: AccessControl, settings: ServiceSettings, peerClients: [RPCClient], serving: ServingFlag,
         store: StoreHandle?, jobs: [@Sendable () async -> Void], logger: Logger) {
        self.store = store
        self.jobs = jobs
        self.serving = serving
        self.name = name
        self.router = router
        self.accessControl = accessControl
        self.settings = settings
        self.peerClients = peerClients
        self.logger = logger
    }

    /// The health of the service's database, if it has one.
    public var databaseHealth: DatabaseHealth? { store?.health }

    /// True from `start` until `shutdown` begins; Health/Check answers NOT_SERVING otherwise.
    public var isServing: Bool { serving.isServing }

    /// How long the start-up check of the database may take; a larger file starts unchecked,
    /// with a warning, and `--check-database` checks it in full.
    public static let startupCheckLimit: Duration = .seconds(10)

    /// Checks the database (bounded in time), then listens with mutual TLS; returns the port
    /// (the one picked, for port 0). A damaged database is refused: nothing is served from it.
    @discardableResult
    public func start() async throws -> Int {
        if let health = store?.health {
            switch await health.quickCheck(within: Self.startupCheckLimit) {
            case .intact:
                break
            case .unfinished:
                logger.warning("the database check did not finish in \(Self.startupCheckLimit); serving unchecked (run --check-database)")
            case .damaged(let problems):
                throw ValidationError("the database is damaged (\(problems.prefix(3).joined(separator: "; "))); "
                                      + "restore it from a backup and check it with --check-database before starting")
            }
        }
        let configuration = RPCServerConfiguration(host: settings.host, port: settings.port, tls: serverTLS)
        let started = try await RPCServer.start(configuration: configuration, router: router, accessControl: accessControl, logger: logger)
        server.withLock { $0 = started }
        serving.set(true)
        let tasks = jobs.map { job in Task { await job() } }
        running.withLock { $0 = tasks }
        return started.port
    }

    /// Stops accepting, lets calls in flight finish within `gracePeriod`, stops the jobs, closes
    /// the peers' clients.
    public func shutdown(gracePeriod: Duration) async {
        serving.set(false)
        await server.withLock { $0 }?.shutdown(gracePeriod: gracePeriod)
        let tasks = running.withLock { $0 }
        for task in tasks {
            task.cancel()
            await task.value
        }
        for client in peerClients { await client.close() }
    }

    /// `--check-database`: the full integrity check, its report on standard output; exit
    /// status 0 when intact, 1 when damaged.
    public func checkDatabase() async throws {
        guard let health = store?.health else {
            print("\(name) has no database to check")
            return
        }
        switch await health.integrityCheck() {
        case .intact, .unfinished:
            print("database intact")
        case .damaged(let problems):
            print("database damaged:")
            problems.forEach { print("  \($0)") }
            throw ExitCode(1)
        }
    }

    /// What the server presents and checks: the certificate, key, CA and revocation list.
    var serverTLS: TLSConfiguration {
        var tls = TLSConfiguration(role: .server, certificateChainPath: settings.cert, privateKeyPath: settings.key, trustRootsPath: settings.ca)
        tls.handshakeTimeout = .seconds(10)
        tls.revocationListPath = settings.crl
        return tls
    }

    /// SIGHUP: the ACL, then the certificate, key, CA and revocation list for new connections.
    /// A file that does not load is refused, says why, and what was in force stays.
    public func reload() {
        reloadACL()
        guard let running = server.withLock({ $0 }) else { return }
        do {
            try running.replaceTLS(serverTLS)
            logger.info("certificates reloaded", metadata: ["cert": "\(settings.cert)", "crl": "\(settings.crl ?? "none")"])
        } catch {
            logger.error("certificate reload refused; the certificates in force stay", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps the change feed to its retention: now, then every hour. Nil for a store without one.
    public func pruneFeedHourly() -> Task<Void, Never>? {
        guard let feed = store?.feed else { return nil }
        let days = settings.feedRetentionDays
        let logger = self.logger
        return Task {
            while !Task.isCancelled {
                let cutoff = Date(timeIntervalSinceNow: -Double(days) * 86_400).formatted(.iso8601)
                do {
                    let removed = try await feed.prune(olderThan: cutoff)
                    if removed > 0 { logger.info("change feed pruned", metadata: ["events": "\(removed)", "retention.days": "\(days)"]) }
                } catch {
                    logger.error("change feed could not be pruned", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    /// Replaces the ACL from its file; a file that does not parse is refused and the old list
    /// stays in force.
    public func reloadACL() {
        do {
            let list = try AccessControlList(contentsOf: settings.acl)
            accessControl.replace(with: list)
            logger.info("ACL reloaded", metadata: ["acl.path": "\(settings.acl)", "acl.identities": "\(list.count)"])
        } catch {
            logger.error("ACL reload refused; the previous ACL stays in force", metadata: ["acl.path": "\(settings.acl)", "error": "\(error)"])
        }
    }
}

/// Whether Health/Check reports SERVING: from start until draining begins.
final class ServingFlag: Sendable {
    private let serving = Atomic(false)
    var isServing: Bool { serving.load(ordering: .relaxed) }
    func set(_ value: Bool) { serving.store(value, ordering: .relaxed) }
}

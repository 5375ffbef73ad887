import Logging
import PinganCatalog
import PinganRPC
import PinganRPCTransport
import PinganServiceKit
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
    let logger: Logger
    private let serving: ServingFlag
    private let server = Mutex<RPCServer?>(nil)

    init(name: ServiceName, router: Router, accessControl: AccessControl, settings: ServiceSettings, peerClients: [RPCClient], serving: ServingFlag, logger: Logger) {
        self.serving = serving
        self.name = name
        self.router = router
        self.accessControl = accessControl
        self.settings = settings
        self.peerClients = peerClients
        self.logger = logger
    }

    /// True from `start` until `shutdown` begins; Health/Check answers NOT_SERVING otherwise.
    public var isServing: Bool { serving.isServing }

    /// Listens with mutual TLS; returns the port (the one picked, for port 0).
    @discardableResult
    public func start() async throws -> Int {
        var tls = TLSConfiguration(role: .server, certificateChainPath: settings.cert, privateKeyPath: settings.key, trustRootsPath: settings.ca)
        tls.handshakeTimeout = .seconds(10)
        let configuration = RPCServerConfiguration(host: settings.host, port: settings.port, tls: tls)
        let started = try await RPCServer.start(configuration: configuration, router: router, accessControl: accessControl, logger: logger)
        server.withLock { $0 = started }
        serving.set(true)
        return started.port
    }

    /// Stops accepting, lets calls in flight finish within `gracePeriod`, closes the peers' clients.
    public func shutdown(gracePeriod: Duration) async {
        serving.set(false)
        await server.withLock { $0 }?.shutdown(gracePeriod: gracePeriod)
        for client in peerClients { await client.close() }
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

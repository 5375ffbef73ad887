import PinganRPC
import PinganRPCTransport
import PinganTLS
import Synchronization

/// One RPC client per service endpoint for a command's run, made on first use; every call
/// shares the command's single deadline.
public final class ServiceClients: Sendable {
    let tls: TLSContext
    let connectTimeout: Duration
    private let clients = Mutex<[Endpoint: RPCClient]>([:])

    public init(tls: TLSContext, connectTimeout: Duration) {
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    public func client(_ endpoint: Endpoint) -> RPCClient {
        clients.withLock { clients in
            if let client = clients[endpoint] { return client }
            let client = RPCClient(host: endpoint.host, port: endpoint.port, tls: tls,
                                   configuration: RPCClientConfiguration(connectTimeout: connectTimeout))
            clients[endpoint] = client
            return client
        }
    }

    public func closeAll() async {
        for client in clients.withLock({ Array($0.values) }) { await client.close() }
    }
}

/// Asks several services at once under one deadline. A service that is not configured, down,
/// slow or refusing leaves its sections unavailable with the reason; the others still answer.
public enum FanOut {
    /// One answer per plugin, in the plugins' order. `unavailable` builds the answer of a
    /// plugin whose service did not answer, from its sections marked with the reason.
    public static func gather<Plugin: Sendable, Answer: Sendable>(
        _ plugins: [Plugin], service: (Plugin) -> String, sections: (Plugin) -> [(id: String, title: Text)],
        town: GatewayConfig.Town, clients: ServiceClients, deadline: ContinuousClock.Instant, language: Language,
        unavailable: @escaping @Sendable ([Section]) -> Answer,
        _ ask: @escaping @Sendable (Plugin, RPCClient, CallOptions) async throws -> Answer
    ) async -> [Answer] {
        await withTaskGroup(of: (Int, Answer).self) { group in
            for (index, plugin) in plugins.enumerated() {
                let name = service(plugin)
                let titles = sections(plugin)
                guard let endpoint = town.services[name] else {
                    let reason = Text("本镇未配置\(name)服务", "no \(name) service configured for this town")(language)
                    let answer = unavailable(titles.map { .unavailable(id: $0.id, title: $0.title, reason: reason) })
                    group.addTask { (index, answer) }
                    continue
                }
                let client = clients.client(endpoint)
                group.addTask {
                    do {
                        return (index, try await ask(plugin, client, CallOptions(deadline: deadline)))
                    } catch {
                        let failure = error as? RPCError ?? RPCError(.unknown, "\(error)")
                        let reason = describe(failure, service: name, endpoint: endpoint, language: language)
                        return (index, unavailable(titles.map { .unavailable(id: $0.id, title: $0.title, reason: reason, code: failure.code.description) }))
                    }
                }
            }
            var answers = [Answer?](repeating: nil, count: plugins.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers.compactMap { $0 }
        }
    }

    static func describe(_ error: RPCError, service: String, endpoint: Endpoint, language: Language) -> String {
        let address = "\(endpoint.host):\(endpoint.port)"
        switch error.code {
        case .deadlineExceeded: return Text("\(service)（\(address)）在时限内未回答", "\(service) at \(address) did not answer in time")(language)
        case .unavailable: return Text("\(service)（\(address)）无法连接：\(error.message)", "\(service) at \(address) is unreachable: \(error.message)")(language)
        default: return "\(service): \(error.code) \(error.message)"
        }
    }
}

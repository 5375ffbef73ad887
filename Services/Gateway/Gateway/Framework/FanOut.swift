import PinganCatalog
import PinganRPC
import PinganRPCTransport
import PinganTLS
import Synchronization

/// One RPC client per service address for a command's run, made on first use; every call
/// shares the command's single deadline.
public final class ServiceClients: Sendable {
    let tls: TLSContext
    let connectTimeout: Duration
    private let clients = Mutex<[ServiceAddress: RPCClient]>([:])

    public init(tls: TLSContext, connectTimeout: Duration) {
        self.tls = tls
        self.connectTimeout = connectTimeout
    }

    public func client(_ address: ServiceAddress) -> RPCClient {
        clients.withLock { clients in
            if let client = clients[address] { return client }
            let client = RPCClient(host: address.host, port: address.port, tls: tls,
                                   configuration: RPCClientConfiguration(connectTimeout: connectTimeout))
            clients[address] = client
            return client
        }
    }

    /// Closes every connection at once (one after another cost a command a round trip each).
    public func closeAll() async {
        await withDiscardingTaskGroup { group in
            for client in clients.withLock({ Array($0.values) }) { group.addTask { await client.close() } }
        }
    }
}

/// Asks several services at once under one deadline. A service that is not configured, down,
/// slow or refusing leaves its sections unavailable with the reason; the others still answer.
public enum FanOut {
    /// One service's answer, or why there is none.
    public struct Outcome<Answer: Sendable>: Sendable {
        public var section: any ServiceSection
        public var answer: Answer
        /// The error the service answered with, if it did not answer.
        public var failure: RPCError?
    }

    /// One outcome per section that has `titles`, in the sections' order. `unavailable` builds
    /// the answer of a service that did not answer from its sections marked with the reason.
    public static func gather<Answer: Sendable>(
        _ sections: [any ServiceSection], titles: (any ServiceSection) -> [SectionTitle],
        town: GatewayConfig.Town, clients: ServiceClients, deadline: ContinuousClock.Instant, language: Language,
        unavailable: @escaping @Sendable ([Section]) -> Answer,
        _ ask: @escaping @Sendable (any ServiceSection, RPCClient, CallOptions) async throws -> Answer
    ) async -> [Outcome<Answer>] {
        let asked = sections.filter { !titles($0).isEmpty }
        return await withTaskGroup(of: (Int, Outcome<Answer>).self) { group in
            for (index, section) in asked.enumerated() {
                let sectionTitles = titles(section)
                guard let address = town.services[section.service] else {
                    let reason = Text("本镇未配置\(section.service)服务", "no \(section.service) service configured for this town")(language)
                    let answer = unavailable(sectionTitles.map { $0.unavailable(reason) })
                    group.addTask { (index, Outcome(section: section, answer: answer, failure: nil)) }
                    continue
                }
                let client = clients.client(address)
                group.addTask {
                    do {
                        return (index, Outcome(section: section, answer: try await ask(section, client, CallOptions(deadline: deadline)), failure: nil))
                    } catch {
                        let failure = error as? RPCError ?? RPCError(.unknown, "\(error)")
                        let reason = describe(failure, service: section.service, address: address, language: language)
                        let answer = unavailable(sectionTitles.map { $0.unavailable(reason, code: failure.code) })
                        return (index, Outcome(section: section, answer: answer, failure: failure))
                    }
                }
            }
            var outcomes = [Outcome<Answer>?](repeating: nil, count: asked.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }
    }

    static func describe(_ error: RPCError, service: ServiceName, address: ServiceAddress, language: Language) -> String {
        switch error.code {
        case .deadlineExceeded: return Text("\(service)（\(address)）在时限内未回答", "\(service) at \(address) did not answer in time")(language)
        case .unavailable: return Text("\(service)（\(address)）无法连接：\(error.message)", "\(service) at \(address) is unreachable: \(error.message)")(language)
        default: return "\(service): \(error.code) \(error.message)"
        }
    }
}

import ArgumentParser
import Foundation
import PinganCatalog
import PinganDutyContracts
import PinganFinanceContracts
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts
import PinganRPCTransport
import PinganTLS

/// One command run: the config, the clients, the single deadline, the output settings.
struct GatewaySession: Sendable {
    var config: GatewayConfig
    var town: String?
    var language: Language
    var format: OutputFormat
    var deadline: ContinuousClock.Instant
    var clients: ServiceClients

    func selectedTown() throws -> GatewayConfig.Town {
        do {
            return try config.town(town)
        } catch {
            throw GatewayExit.usage(error.description)
        }
    }

    func print(_ report: Report) {
        Swift.print(Renderer.render(report, as: format, language: language))
    }
}

extension GatewaySession {
    /// The selected town's client for `service`.
    func client(_ service: ServiceName) throws -> RPCClient {
        let town = try selectedTown()
        guard let address = town.services[service] else {
            throw GatewayExit.usage("config: town \(town.code) has no \(service) service (towns[].services.\(service))")
        }
        return clients.client(address)
    }

    /// The selected town's registry.
    func registry() throws -> RegistryClient { RegistryClient(try client(.registry)) }

    /// The selected town's training service.
    func training() throws -> TrainingClient { TrainingClient(try client(.training)) }

    /// The selected town's duty service.
    func duty() throws -> DutyClient { DutyClient(try client(.duty)) }

    /// The selected town's finance service.
    func finance() throws -> FinanceClient { FinanceClient(try client(.finance)) }

    var options: CallOptions { CallOptions(deadline: deadline) }

    /// Call options carrying an idempotency key, so that a command retried after a lost answer
    /// does not act twice.
    func options(idempotencyKey: String?) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = idempotencyKey
        return CallOptions(deadline: deadline, metadata: metadata)
    }
}

import ArgumentParser
import Foundation
import PinganCampaign
import PinganRPCTransport
import PinganServiceHost
import PinganTLS
import Training

/// `pingan-training`: courses, sessions, enrollment, attendance and qualification.
@main
struct TrainingServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-training", abstract: "The Pingan training service.", version: ServiceHost.version)

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let settings = try options.settings(defaultPort: 7402, environment: ProcessInfo.processInfo.environment)
        guard let database = settings.database else {
            throw ValidationError("--database is required (or set PINGAN_DATABASE, or \"database\" in the config file)")
        }
        guard let registry = settings.registry else {
            throw ValidationError("--registry host:port is required (or set PINGAN_REGISTRY, or \"registry\" in the config file)")
        }
        guard let colon = registry.lastIndex(of: ":"), let port = Int(registry[registry.index(after: colon)...]), (1...65535).contains(port) else {
            throw ValidationError("registry '\(registry)' is not host:port")
        }
        let host = String(registry[..<colon]).trimmingCharacters(in: ["[", "]"])
        let calendar = try settings.campaign.map { try CampaignFile.load(CampaignCalendar.self, from: $0) } ?? .expo2010
        let problems = calendar.problems()
        guard problems.isEmpty else { throw ValidationError("campaign: \(problems.joined(separator: "; "))") }
        // Training calls the registry as itself: its own certificate is its service identity.
        let tls = try TLSContext(configuration: TLSConfiguration(
            role: .client, certificateChainPath: settings.cert, privateKeyPath: settings.key, trustRootsPath: settings.ca))
        let client = RPCClient(host: host, port: port, tls: tls)
        let store = try TrainingStore.open(path: database)
        try await ServiceHost.run(name: "pingan-training", settings: settings,
                                  services: [TrainingService(store: store, calendar: calendar, directory: RegistryDirectory(client: client))])
        await client.close()
    }
}

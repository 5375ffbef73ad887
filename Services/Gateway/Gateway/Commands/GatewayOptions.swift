import ArgumentParser
import Foundation
import PinganCatalog
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts
import PinganRPCTransport
import PinganTLS

/// Options every command shares: where the towns are, how to print, the deadline.
public struct GatewayOptions: ParsableArguments, Sendable {
    @Option(help: "Gateway config file: towns, their services, the client certificate (env PINGAN_GATEWAY_CONFIG; default: $XDG_CONFIG_HOME/pingan/gateway.json if it exists, which make run writes; else one local town on 127.0.0.1:7401-7404).")
    var config: String?

    @Option(help: "The town to ask (env PINGAN_TOWN; default: the config's default_town).")
    var town: String?

    @Flag(help: "Print JSON (schema pingan.gateway.v1).")
    var json = false

    @Flag(help: "Print CSV (UTF-8 with a byte-order mark).")
    var csv = false

    @Option(help: "zh or en (default: from LC_ALL, LC_MESSAGES or LANG).")
    var lang: String?

    @Option(help: "Seconds the whole command may take; every service is asked under this one deadline.")
    var timeout: Double = 5

    @Option(help: "PEM client certificate (overrides the config and PINGAN_CLIENT_CERT).")
    var cert: String?

    @Option(help: "PEM key of the client certificate (overrides the config and PINGAN_CLIENT_KEY).")
    var key: String?

    @Option(help: "PEM CA the services chain to (overrides the config and PINGAN_CA).")
    var ca: String?

    public init() {}

    public func validate() throws {
        if json && csv { throw ValidationError("--json and --csv: choose one") }
        if let lang, Language(rawValue: lang.lowercased()) == nil { throw ValidationError("--lang '\(lang)' is not zh or en") }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout \(timeout) must be above 0 and at most 600 seconds") }
    }

    var format: OutputFormat { json ? .json : csv ? .csv : .table }

    /// Resolves the config and opens what a command needs; a wrong setting exits 64 naming it.
    func session() throws -> GatewaySession {
        let environment = ProcessInfo.processInfo.environment
        let language = Language.resolve(flag: lang, environment: environment)
        var settings = environment
        if let cert { settings["PINGAN_CLIENT_CERT"] = cert }
        if let key { settings["PINGAN_CLIENT_KEY"] = key }
        if let ca { settings["PINGAN_CA"] = ca }
        let config: GatewayConfig
        do {
            let path = self.config ?? environment["PINGAN_GATEWAY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? GatewayConfig.standardPath(environment: environment)
            config = try GatewayConfig.load(path: path, environment: settings)
        } catch {
            throw GatewayExit.usage(error.description)
        }
        let tls: TLSContext
        do {
            tls = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: config.cert, privateKeyPath: config.key, trustRootsPath: config.ca))
        } catch {
            throw GatewayExit.usage("client certificate: \(error)")
        }
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        return GatewaySession(config: config, town: town, language: language, format: format, deadline: .now + limit,
                              clients: ServiceClients(tls: tls, connectTimeout: limit))
    }
}

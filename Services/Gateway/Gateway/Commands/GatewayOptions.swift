import PinganRPC
import ArgumentParser
import Foundation
import PinganRPCTransport
import PinganTLS

/// Options every command shares: where the towns are, how to print, the deadline.
public struct GatewayOptions: ParsableArguments, Sendable {
    @Option(help: "Gateway config file: towns, their services, the client certificate (env PINGAN_GATEWAY_CONFIG; default: one local town on 127.0.0.1:7401-7404).")
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
            config = try GatewayConfig.load(path: self.config ?? environment["PINGAN_GATEWAY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }, environment: settings)
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

/// The documented exit statuses (README, "Exit codes"), with the message for standard error.
enum GatewayExit: Error, CustomStringConvertible {
    /// 0: everything answered.
    static let ok: Int32 = 0
    /// 2: a partial answer: some service or town did not answer (the rest was printed).
    case partial(String)
    /// 3: a service refused the request (bad input, not found, not allowed) or rows were bad.
    case refused(String)
    /// 4: nothing could be asked: the service is unreachable.
    case unavailable(String)
    /// 64: the command line or the config is wrong.
    case usage(String)

    var code: Int32 {
        switch self {
        case .partial: 2
        case .refused: 3
        case .unavailable: 4
        case .usage: 64
        }
    }

    var description: String {
        switch self {
        case .partial(let message), .refused(let message), .unavailable(let message), .usage(let message): message
        }
    }
}

/// Runs a command body, closing its clients, and turns failures into the documented exit
/// statuses with the message on standard error.
func runGateway(_ options: GatewayOptions, _ body: (GatewaySession) async throws -> Void) async throws {
    let session: GatewaySession
    do {
        session = try options.session()
    } catch let exit as GatewayExit {
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    }
    do {
        try await body(session)
        await session.clients.closeAll()
    } catch let exit as GatewayExit {
        await session.clients.closeAll()
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    } catch let error as RPCError {
        await session.clients.closeAll()
        let exit: GatewayExit = [.unavailable, .deadlineExceeded].contains(error.code) ? .unavailable(error.description) : .refused(error.description)
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    }
}

extension GatewaySession {
    /// The selected town's client for `service`.
    func client(_ service: String) throws -> RPCClient {
        let town = try selectedTown()
        guard let endpoint = town.services[service] else {
            throw GatewayExit.usage("config: town \(town.code) has no \(service) service (towns[].services.\(service))")
        }
        return clients.client(endpoint)
    }

    var options: CallOptions { CallOptions(deadline: deadline) }

    /// Call options carrying an idempotency key, so that a command retried after a lost answer
    /// does not act twice.
    func options(idempotencyKey: String?) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = idempotencyKey
        return CallOptions(deadline: deadline, metadata: metadata)
    }
}

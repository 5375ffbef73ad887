import ArgumentParser
import PinganTLS

/// The client certificate the gateway presents, and the CA it trusts.
public struct ClientOptions: ParsableArguments, Sendable {
    @Option(help: "PEM client certificate (env PINGAN_CLIENT_CERT).")
    var cert: String = Env.value("PINGAN_CLIENT_CERT") ?? ""

    @Option(help: "PEM key of the client certificate (env PINGAN_CLIENT_KEY).")
    var key: String = Env.value("PINGAN_CLIENT_KEY") ?? ""

    @Option(help: "PEM CA that the services' certificates chain to (env PINGAN_CA).")
    var ca: String = Env.value("PINGAN_CA") ?? ""

    public init() {}

    public func validate() throws {
        for (flag, value, env) in [("--cert", cert, "PINGAN_CLIENT_CERT"), ("--key", key, "PINGAN_CLIENT_KEY"), ("--ca", ca, "PINGAN_CA")]
        where value.isEmpty {
            throw ValidationError("\(flag) is required (or set \(env))")
        }
    }

    func tlsContext() throws -> TLSContext {
        try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca))
    }
}

/// The same lookup as ServiceHost's `Environment`; the gateway does not depend on ServiceHost,
/// which would bring its HTTP and metrics dependencies into the CLI.
enum Env {
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let value = String(cString: raw)
        return value.isEmpty ? nil : value
    }
}

#if canImport(Glibc)
import Glibc
#endif

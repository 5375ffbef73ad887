import PinganTLS
import PinganWire

/// Where and how an `RPCServer` listens.
public struct RPCServerConfiguration: Sendable {
    /// Address to bind, e.g. "127.0.0.1" or "::1".
    public var host: String
    /// Port to bind; 0 picks a free one (see `RPCServer.port`).
    public var port: Int
    public var tls: TLSConfiguration
    public var limits: WireLimits = WireLimits()
    /// Calls open at once on one connection; the excess is refused with RESOURCE_EXHAUSTED.
    public var maximumConcurrentCallsPerConnection = 1024

    public init(host: String, port: Int, tls: TLSConfiguration) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

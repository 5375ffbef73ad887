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
    /// Connections open at once; more are closed as soon as they are accepted. A connection
    /// holds its slot during the TLS handshake, which `tls.handshakeTimeout` bounds.
    public var maximumConnections = 1024
    /// The largest response message this server sends; a larger one fails its call with
    /// RESOURCE_EXHAUSTED. (The largest it receives is `limits.maximumPayloadSize`.)
    public var maximumResponseSize = 4 * 1024 * 1024
    /// A connection with no call open and nothing received for this long is sent a GOAWAY and
    /// closed; nil keeps idle connections open.
    public var idleTimeout: Duration? = .seconds(300)

    public init(host: String, port: Int, tls: TLSConfiguration) {
        self.host = host
        self.port = port
        self.tls = tls
    }
}

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
    /// Connections that completed mutual TLS, open at once; one more is closed as its
    /// handshake completes. Connections still in the handshake do not count here.
    public var maximumConnections = 1024
    /// Connections in the TLS handshake at once; more are closed as soon as they are accepted.
    /// Each holds its slot until its handshake completes or `tls.handshakeTimeout` passes.
    public var maximumHandshakes = 128
    /// Connections in the TLS handshake from one source address at once: a flood from one
    /// address cannot take every handshake slot.
    public var maximumHandshakesPerAddress = 16
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

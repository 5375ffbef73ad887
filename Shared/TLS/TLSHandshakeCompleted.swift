import PinganIdentity

/// The user inbound event a `TLSHandler` fires once the handshake is done and the peer's
/// certificate has been verified. Handlers further in wait for it before trusting the peer.
public struct TLSHandshakeCompleted: Sendable, Hashable {
    /// The verified identity from the peer's certificate.
    public var peer: PeerIdentity
    /// The negotiated protocol, e.g. "TLSv1.3".
    public var protocolVersion: String
    /// The negotiated cipher suite, e.g. "TLS_AES_128_GCM_SHA256".
    public var cipherSuite: String
}

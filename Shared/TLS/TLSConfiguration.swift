/// The protocol versions a context accepts at the least.
public enum TLSVersion: Sendable, Hashable {
    case tls12
    case tls13
}

/// Everything needed to build a `TLSContext` for one side of a connection. Both sides always
/// present a certificate and verify the other's against `trustRootsPath` (mutual TLS).
public struct TLSConfiguration: Sendable, Hashable {
    /// Which end of the handshake this context drives.
    public enum Role: Sendable, Hashable {
        case server
        case client
    }

    public var role: Role
    /// PEM file: our certificate, followed by any intermediates.
    public var certificateChainPath: String
    /// PEM file holding the private key of the certificate.
    public var privateKeyPath: String
    /// PEM file of the CA certificates a peer's certificate must chain to.
    public var trustRootsPath: String
    /// The lowest protocol version accepted; TLS 1.3 unless a deployment says otherwise.
    public var minimumVersion: TLSVersion = .tls13
    /// OpenSSL's TLS 1.3 cipher-suite list (`SSL_CTX_set_ciphersuites`), or nil for its default.
    public var tls13CipherSuites: String?
    /// How long a peer has to complete the handshake before the connection is closed.
    public var handshakeTimeout: Duration = .seconds(10)
    /// A PEM file of certificate revocation lists (the deployment CA's): a peer whose
    /// certificate is on it is refused at the handshake. Nil: no revocation checks.
    public var revocationListPath: String?

    public init(
        role: Role,
        certificateChainPath: String,
        privateKeyPath: String,
        trustRootsPath: String
    ) {
        self.role = role
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
    }
}

/// A TLS failure with OpenSSL's own reason, so an operator reads "certificate has expired"
/// rather than "handshake failed".
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, at the level a caller acts on.
    public enum Kind: Sendable, Hashable {
        /// Certificates, keys or settings could not be loaded.
        case configuration
        /// This side refused the peer's certificate (or its absence).
        case peerCertificateRejected
        /// The peer refused us: it sent a fatal alert, e.g. because it rejected our certificate.
        case rejectedByPeer
        /// The handshake failed for another reason: protocol version, not TLS at all, ...
        case handshakeFailed
        /// The peer did not finish the handshake in time.
        case handshakeTimeout
        /// The connection closed before the handshake finished.
        case closedDuringHandshake
        /// A failure after the handshake: a corrupt record, an unexpected message.
        case connectionFailed
    }

    public var kind: Kind
    /// OpenSSL's reason string(s), or our own explanation.
    public var reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "TLS \(kind): \(reason)" }
}

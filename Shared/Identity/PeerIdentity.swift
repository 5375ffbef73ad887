/// Who is on the other end of a connection, as proven by the certificate it presented and
/// the transport verified. The RPC layer authorizes calls on this value alone.
public struct PeerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The certificate subject's common name, if it has one.
    public var commonName: String?
    /// `URI` subject alternative names, e.g. `spiffe://pingan/registry`.
    public var uris: [String]
    /// `DNS` subject alternative names.
    public var dnsNames: [String]
    /// Lower-case hex SHA-256 of the certificate's DER encoding.
    public var fingerprint: String

    public init(commonName: String?, uris: [String] = [], dnsNames: [String] = [], fingerprint: String) {
        self.commonName = commonName
        self.uris = uris
        self.dnsNames = dnsNames
        self.fingerprint = fingerprint
    }

    /// A short label for logs: the first URI, else the common name, else the fingerprint prefix.
    public var description: String {
        uris.first ?? commonName ?? "sha256:" + fingerprint.prefix(16)
    }
}

/// Where a service listens: `host:port`, IPv6 as `[::1]:7401`.
public struct ServiceAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (port 1-65535); nil when it is not one.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A named service's address, written `name=host:port`: a `--peer` of a service, or a
/// `--endpoint` of the gateway.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    public var name: ServiceName
    public var address: ServiceAddress

    public init(name: ServiceName, address: ServiceAddress) {
        self.name = name
        self.address = address
    }

    /// Parses `name=host:port`, where the name is one of the catalog's.
    public static func parse(_ text: String) throws(PeerAddressError) -> PeerAddress {
        guard let equals = text.firstIndex(of: "=") else {
            throw PeerAddressError("'\(text)' is not NAME=HOST:PORT")
        }
        let name = String(text[..<equals])
        guard let entry = ServiceCatalog.named(name) else {
            throw PeerAddressError("'\(name)' is not a service (expected one of \(ServiceCatalog.names))")
        }
        guard let address = ServiceAddress(text[text.index(after: equals)...]) else {
            throw PeerAddressError("\(name): '\(text[text.index(after: equals)...])' is not HOST:PORT")
        }
        return PeerAddress(name: entry.name, address: address)
    }

    public var description: String { "\(name)=\(address)" }
}

/// Why a `name=host:port` did not parse.
public struct PeerAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

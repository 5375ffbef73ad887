import ArgumentParser

/// A named service address, written `name=host:port` (IPv6 as `name=[::1]:port`).
public struct Endpoint: Sendable, Hashable, ExpressibleByArgument {
    public var name: String
    public var host: String
    public var port: Int

    public init(name: String, host: String, port: Int) {
        self.name = name
        self.host = host
        self.port = port
    }

    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), let colon = argument.lastIndex(of: ":"), colon > equals,
              let port = Int(argument[argument.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        var host = String(argument[argument.index(after: equals)..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let name = String(argument[..<equals])
        guard !name.isEmpty, !host.isEmpty else { return nil }
        self.init(name: name, host: host, port: port)
    }

    /// The four services on loopback at their default ports.
    public static let localDefaults = [
        Endpoint(name: "registry", host: "127.0.0.1", port: 7401),
        Endpoint(name: "training", host: "127.0.0.1", port: 7402),
        Endpoint(name: "duty", host: "127.0.0.1", port: 7403),
        Endpoint(name: "finance", host: "127.0.0.1", port: 7404),
    ]
}

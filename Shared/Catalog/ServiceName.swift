/// A Pingan service's name, as written in configs, certificates and `--peer` options.
public struct ServiceName: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let registry = ServiceName(rawValue: "registry")
    public static let training = ServiceName(rawValue: "training")
    public static let duty = ServiceName(rawValue: "duty")
    public static let finance = ServiceName(rawValue: "finance")

    public var description: String { rawValue }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool { lhs.rawValue < rhs.rawValue }
}

import ArgumentParser

/// A service's own settings: its flags, each also read from `PINGAN_<KEY>` and from the config
/// file's `<key>`, resolved and checked in one place.
public protocol ServiceSettingsGroup: ParsableArguments, Sendable {
    /// What the service is built from once every source has been consulted.
    associatedtype Resolved: Sendable

    /// The config-file keys this group reads; any other key not common to every service is
    /// refused as unknown.
    static var configKeys: [String] { get }

    /// Every setting from flag, environment, config file or default, checked.
    func resolve(_ source: SettingSource) throws -> Resolved
}

/// For a service with no settings of its own.
public struct NoSettings: ServiceSettingsGroup {
    public static let configKeys: [String] = []

    public init() {}

    public func resolve(_ source: SettingSource) throws {}
}

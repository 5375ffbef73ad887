import ArgumentParser
import Foundation

/// Where a setting can come from after its flag: the environment (`PINGAN_DATA_KEY`), then the
/// JSON config file (`"data_key"`). Empty environment variables count as unset.
public struct SettingSource: Sendable {
    /// The config file, if one was named.
    public let path: String?
    private let environment: [String: String]
    private let file: [String: ConfigValue]

    /// Reads the config file named by `path` (or by PINGAN_CONFIG); `knownKeys` are every key
    /// the service reads, and any other key in the file is refused, since a typo would
    /// otherwise silently fall back to a default.
    public init(path: String?, environment: [String: String], knownKeys: Set<String>) throws {
        self.environment = environment
        self.path = path ?? environment["PINGAN_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        guard let path = self.path else {
            file = [:]
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("config file \(path) cannot be read")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ValidationError("config file \(path) is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !knownKeys.contains($0) }) {
            throw ValidationError("config file \(path): unknown key \"\(unknown)\" (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        file = try object.mapValues { value throws(ValidationError) in
            switch value {
            case let text as String: return .text(text)
            case let number as NSNumber: return .number(number.doubleValue)
            case let table as [String: Any]:
                let texts = table.compactMapValues { $0 as? String }
                guard texts.count == table.count else { throw ValidationError("config file \(path): a table must map names to text") }
                return .table(texts)
            default: return .other
            }
        }
    }

    /// The environment variable for a config key: `data_key` -> `PINGAN_DATA_KEY`.
    public static func variable(_ key: String) -> String {
        "PINGAN_" + key.uppercased()
    }

    /// The first of flag, environment and config file that is set.
    public func text(_ flag: String?, _ key: String) throws -> String? {
        if let flag { return flag }
        if let value = environmentValue(key) { return value }
        switch file[key] {
        case nil: return nil
        case .text(let text): return text
        default: throw wrongType(key)
        }
    }

    /// The same, for a setting that must be given: the error names all three ways to give it.
    public func required(_ flag: String?, _ key: String) throws -> String {
        guard let value = try text(flag, key), !value.isEmpty else {
            throw ValidationError("--\(key.replacingOccurrences(of: "_", with: "-")) is required (or set \(Self.variable(key)), or \"\(key)\" in the config file)")
        }
        return value
    }

    /// A whole number from flag, environment or config file.
    public func number(_ flag: Int?, _ key: String) throws -> Int? {
        if let flag { return flag }
        if let value = environmentValue(key) {
            guard let number = Int(value) else { throw ValidationError("\(Self.variable(key)) '\(value)' is not a whole number") }
            return number
        }
        switch file[key] {
        case nil: return nil
        case .number(let value) where value == value.rounded(): return Int(value)
        default: throw wrongType(key)
        }
    }

    /// A name-to-text table of the config file, e.g. `"peers": {"registry": "127.0.0.1:7401"}`.
    public func table(_ key: String) throws -> [String: String] {
        switch file[key] {
        case nil: return [:]
        case .table(let table): return table
        default: throw wrongType(key)
        }
    }

    /// An environment variable by its full name.
    public func environmentValue(named name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func environmentValue(_ key: String) -> String? {
        environmentValue(named: Self.variable(key))
    }

    private func wrongType(_ key: String) -> ValidationError {
        ValidationError("config file \(path ?? "-"): \"\(key)\" has the wrong type")
    }

    /// A config file value, as far as settings care.
    enum ConfigValue: Sendable {
        case text(String)
        case number(Double)
        case table([String: String])
        case other
    }
}

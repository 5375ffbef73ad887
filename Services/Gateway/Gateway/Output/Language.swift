/// The language of labels and messages: Chinese for the town office (locale `zh_*` or
/// `--lang zh`), English otherwise.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case zh
    case en

    /// From `--lang` if given, else LC_ALL, LC_MESSAGES, LANG in that order (POSIX precedence).
    public static func resolve(flag: String?, environment: [String: String]) -> Language {
        if let flag, let language = Language(rawValue: flag.lowercased()) { return language }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("zh") ? .zh : .en
            }
        }
        return .en
    }
}

/// A label or message in both languages.
public struct Text: Sendable, Hashable {
    public var zh: String
    public var en: String

    public init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }

    public func callAsFunction(_ language: Language) -> String {
        language == .zh ? zh : en
    }
}

import PinganFinanceContracts

/// What a command answers, before it is rendered as a table, JSON or CSV. Sections come from
/// services (or towns); each either answered or is unavailable with the reason.
public struct Report: Sendable {
    public var command: String
    public var sections: [Section]
    /// Lines printed under the tables only (hints); never in JSON or CSV.
    public var notes: [Text] = []

    public init(command: String, sections: [Section]) {
        self.command = command
        self.sections = sections
    }

    /// Some section did not answer. A refusal for the caller's role is an answer, not an outage.
    public var isPartial: Bool { sections.contains { $0.unavailable != nil && $0.code != "PERMISSION_DENIED" } }
}

public struct Section: Sendable {
    /// Stable machine name, e.g. "registry.volunteer".
    public var id: String
    public var title: Text
    /// Why the section has no answer (the service was down, slow, or refused).
    public var unavailable: String?
    /// The status code behind `unavailable`, when a service answered with one.
    public var code: String?
    /// Label/value pairs, for a single record.
    public var fields: [Field] = []
    /// Rows, for lists.
    public var table: Table?

    public init(id: String, title: Text, fields: [Field] = [], table: Table? = nil) {
        self.id = id
        self.title = title
        self.fields = fields
        self.table = table
    }

    public static func unavailable(id: String, title: Text, reason: String, code: String? = nil) -> Section {
        var section = Section(id: id, title: title)
        section.unavailable = reason
        section.code = code
        return section
    }
}

public struct Field: Sendable {
    public var key: String
    public var label: Text
    public var value: Value

    public init(_ key: String, _ label: Text, _ value: Value) {
        self.key = key
        self.label = label
        self.value = value
    }
}

public struct Table: Sendable {
    public struct Column: Sendable {
        public var key: String
        public var label: Text
        public init(_ key: String, _ label: Text) {
            self.key = key
            self.label = label
        }
    }

    public var columns: [Column]
    public var rows: [[Value]]

    public init(columns: [Column], rows: [[Value]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// A cell: typed so that JSON keeps numbers as numbers.
public enum Value: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case decimal(Double)
    /// A share of a whole, shown as "66%"; JSON keeps the ratio (0.66).
    case percent(part: Int64, whole: Int64)
    /// Both numbers and the share, "4139/6249 66%"; JSON `{"part", "whole"}`.
    case fraction(part: Int64, whole: Int64)
    case bool(Bool)
    /// An amount in fen, shown as yuan ("¥1,234.50"); JSON keeps the integer fen, CSV "1234.50".
    case money(fen: Int64)
    case none

    public static func int(_ value: some BinaryInteger) -> Value { .integer(Int64(value)) }

    public func display(_ language: Language) -> String {
        switch self {
        case .text(let text): text
        case .integer(let number): String(number)
        case .decimal(let number): Self.trimmed(number)
        case .percent(let part, let whole): whole == 0 ? "-" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
        case .fraction(let part, let whole): "\(part)/\(whole) \(Value.percent(part: part, whole: whole).display(language))"
        case .bool(let flag): language == .zh ? (flag ? "是" : "否") : (flag ? "yes" : "no")
        case .money(let fen): Money(fen: fen).description
        case .none: "-"
        }
    }

    /// One decimal at most: 2.5, 4.
    static func trimmed(_ number: Double) -> String {
        let tenths = (number * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int64(tenths / 10)) : String(Double(tenths) / 10)
    }
}

/// An amount of money in fen (1/100 yuan), never floating point. Shown and read as yuan with
/// two decimals.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var fen: Int64

    public init(fen: Int64) {
        self.fen = fen
    }

    /// Reads "12", "12.3" or "12.34" yuan (a leading "-" for a negative amount); nil for
    /// anything else, including a third decimal.
    public init?(yuan text: String) {
        var digits = Substring(text)
        let negative = digits.hasPrefix("-")
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isASCII), let whole = Int64(parts[0]),
              parts.count == 1 || (1...2).contains(parts[1].count) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            guard parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(parts[1]) else { return nil }
            cents = parts[1].count == 1 ? value * 10 : value
        }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, whole >= 0 else { return nil }
        fen = (scaled + cents) * (negative ? -1 : 1)
    }

    /// "¥1,234.50".
    public var description: String {
        let yuan = String(fen.magnitude / 100)
        var grouped = ""
        for (index, digit) in yuan.enumerated() {
            if index > 0 && (yuan.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return "\(fen < 0 ? "-" : "")¥\(grouped).\(cents)"
    }

    /// "1234.50": what `init(yuan:)` reads, for files and spreadsheets.
    public var plainYuan: String {
        "\(fen < 0 ? "-" : "")\(fen.magnitude / 100).\(cents)"
    }

    private var cents: String {
        let cents = fen.magnitude % 100
        return "\(cents < 10 ? "0" : "")\(cents)"
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
}

import Foundation

extension ServiceDatabase {
    /// Now, as stored in every table: RFC 3339 in UTC, to the second.
    public static func timestamp() -> String {
        timestamp(secondsSince1970: Int(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// `2010-05-01T08:30:00Z` for a time in seconds since 1970: the civil date from the day
    /// number (Howard Hinnant's algorithm), without a formatter or a calendar. A bulk import
    /// writes one per row, and Foundation's ISO 8601 style took microseconds each.
    public static func timestamp(secondsSince1970 seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let fields = [(year, 4, UInt8(ascii: "-")), (month, 2, UInt8(ascii: "-")), (day, 2, UInt8(ascii: "T")),
                      (secondOfDay / 3600, 2, UInt8(ascii: ":")), (secondOfDay / 60 % 60, 2, UInt8(ascii: ":")), (secondOfDay % 60, 2, UInt8(ascii: "Z"))]
        return String(unsafeUninitializedCapacity: 20) { text in
            var index = 0
            for (value, width, separator) in fields {
                var rest = value
                for position in stride(from: index + width - 1, through: index, by: -1) {
                    text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                text[index + width] = separator
                index += width + 1
            }
            return 20
        }
    }
}

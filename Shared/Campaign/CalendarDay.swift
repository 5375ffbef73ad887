/// A day on the campaign calendar (Asia/Shanghai), with no time of day: birth dates, application
/// dates, deadlines. Ordering is chronological.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless the three numbers name a real date (leap years included).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whole years completed on `date`: the birthday itself counts (born 2000-03-01 is 18 on
    /// 2018-03-01). Someone born on 29 February turns a year older on 1 March in other years.
    public func age(on date: CalendarDay) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// Whole months from this day to `date` (a month counts once its day-of-month is reached;
    /// 31 January to 28 February is 0 months, to 1 March is 1).
    public func months(until date: CalendarDay) -> Int {
        var months = (date.year - year) * 12 + (date.month - month)
        if date.day < day { months -= 1 }
        return months
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        return "\(zeroPadded(year, 4))-\(zeroPadded(month, 2))-\(zeroPadded(day, 2))"
    }

    /// The day after this one.
    public var next: CalendarDay {
        if day < Self.daysIn(month: month, year: year) { return CalendarDay(year: year, month: month, day: day + 1)! }
        if month < 12 { return CalendarDay(year: year, month: month + 1, day: 1)! }
        return CalendarDay(year: year + 1, month: 1, day: 1)!
    }

    /// 1 for Monday through 7 for Sunday (ISO 8601).
    public var weekday: Int {
        // Sakamoto's method: 0 for Sunday.
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let sunday0 = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return sunday0 == 0 ? 7 : sunday0
    }

    /// The day before this one.
    public var previous: CalendarDay {
        if day > 1 { return CalendarDay(year: year, month: month, day: day - 1)! }
        if month > 1 { return CalendarDay(year: year, month: month - 1, day: Self.daysIn(month: month - 1, year: year))! }
        return CalendarDay(year: year - 1, month: 12, day: 31)!
    }

    /// Encoded as its `YYYY-MM-DD` text, the form every file and message uses.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a date (YYYY-MM-DD)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

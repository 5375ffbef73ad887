import Foundation

/// A moment on the campaign's local clock (Asia/Shanghai) to the minute: when a training
/// session or a duty shift starts or ends. Written "YYYY-MM-DD HH:MM", which also sorts as text.
public struct LocalTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var day: CalendarDay
    /// Minutes since midnight, 0..<1440.
    public var minute: Int

    public init?(day: CalendarDay, minute: Int) {
        guard (0..<1440).contains(minute) else { return nil }
        self.day = day
        self.minute = minute
    }

    /// Parses "YYYY-MM-DD HH:MM" (a "T" in place of the space is taken too).
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let day = CalendarDay(iso: parts[0]) else { return nil }
        let clock = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2, clock[0].count == 2, clock[1].count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.init(day: day, minute: hour * 60 + minute)
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        (lhs.day, lhs.minute) < (rhs.day, rhs.minute)
    }

    public var description: String {
        "\(day) \(zeroPadded(minute / 60, 2)):\(zeroPadded(minute % 60, 2))"
    }

    /// Minutes from `self` to `later` (same or later days).
    public func minutes(until later: LocalTime) -> Int {
        var days = 0
        var day = self.day
        while day < later.day {
            day = day.next
            days += 1
        }
        return days * 1440 + later.minute - minute
    }
}

extension LocalTime {
    /// `minutes` later (0 or more).
    public func adding(minutes: Int) -> LocalTime {
        var day = self.day
        var minute = self.minute + minutes
        while minute >= 1440 {
            minute -= 1440
            day = day.next
        }
        return LocalTime(day: day, minute: minute)!
    }

    /// True if [a, b) and [c, d) share a minute: touching ends do not overlap.
    public static func overlap(_ a: (LocalTime, LocalTime), _ b: (LocalTime, LocalTime)) -> Bool {
        a.0 < b.1 && b.0 < a.1
    }
}

extension LocalTime {
    /// The wall clock in Asia/Shanghai to the minute, whatever the machine's zone.
    public static func shanghaiNow() -> LocalTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date())
        return LocalTime(day: CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)!, minute: parts.hour! * 60 + parts.minute!)!
    }
}

import PinganCampaign

/// "Group defence, full coverage": which committees have a staffed patrol post on which days.
public enum Coverage {
    /// A committee the registry knows: a residential or a village committee.
    public struct Committee: Sendable, Hashable {
        public var code: String
        public var name: String
        public var kind: String

        public init(code: String, name: String, kind: String) {
            self.code = code
            self.name = name
            self.kind = kind
        }
    }

    public struct Line: Sendable, Hashable {
        public var committee: Committee
        public var uncoveredDays: [CalendarDay]
    }

    /// For each committee, the days of `days` on which none of its patrol posts had an assigned
    /// shift; `staffed` holds the (unit, day) pairs that had one.
    public static func lines(committees: [Committee], days: [CalendarDay], staffed: Set<StaffedDay>) -> [Line] {
        committees.map { committee in
            Line(committee: committee, uncoveredDays: days.filter { !staffed.contains(StaffedDay(unitCode: committee.code, day: $0)) })
        }
    }

    /// The period's days in weeks, Monday to Sunday, the first and last cut at the period's ends.
    public static func weeks(_ days: [CalendarDay]) -> [[CalendarDay]] {
        var weeks: [[CalendarDay]] = []
        for day in days {
            if day.weekday == 1 || weeks.isEmpty { weeks.append([]) }
            weeks[weeks.count - 1].append(day)
        }
        return weeks
    }

    /// How many of `lines` had a staffed patrol post on every day of `week`.
    public static func fullyCovered(_ lines: [Line], in week: [CalendarDay]) -> Int {
        let days = Set(week)
        return lines.count { line in !line.uncoveredDays.contains { days.contains($0) } }
    }

    /// A unit whose patrol post had a shift on a day.
    public struct StaffedDay: Sendable, Hashable {
        public var unitCode: String
        public var day: CalendarDay

        public init(unitCode: String, day: CalendarDay) {
            self.unitCode = unitCode
            self.day = day
        }
    }

    /// The days a shift from `starts` to `ends` touches (a shift ending at midnight does not
    /// touch the next day).
    public static func days(from starts: LocalTime, to ends: LocalTime) -> [CalendarDay] {
        var days = [starts.day]
        var day = starts.day
        while day < ends.day {
            day = day.next
            if day < ends.day || ends.minute > 0 { days.append(day) }
        }
        return days
    }
}

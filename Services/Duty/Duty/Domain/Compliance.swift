import PinganCampaign

/// A month of activities against the campaign's minimum: 1 a month before the Expo, 2 during it,
/// read from the phase the month's first day falls in.
public struct MonthlyCompliance: Sendable, Hashable {
    public var month: CalendarDay
    public var phase: CampaignPhase?
    public var minimum: Int

    /// The month starting on `first` (a first of the month) under `calendar`.
    public init(month first: CalendarDay, calendar: CampaignCalendar) {
        self.month = first
        self.phase = calendar.phase(on: first)
        self.minimum = phase?.minimumMonthlyActivities ?? 0
    }

    /// "YYYY-MM" as the first of that month.
    public static func firstDay(of text: String) -> CalendarDay? {
        CalendarDay(iso: text + "-01").flatMap { text.count == 7 ? $0 : nil }
    }

    /// The last day of the month.
    public var lastDay: CalendarDay {
        CalendarDay(year: month.year, month: month.month, day: CalendarDay.daysIn(month: month.month, year: month.year))!
    }

    public func isCompliant(activities: Int) -> Bool {
        activities >= minimum
    }
}

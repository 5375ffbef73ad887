import ArgumentParser
import Foundation
import PinganCampaign

/// `--on 2010-04-30` and the like: a day on the campaign calendar.
extension CalendarDay: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(iso: argument)
    }

    /// Today in Asia/Shanghai, the campaign's calendar, whatever the machine's zone.
    static func today() -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

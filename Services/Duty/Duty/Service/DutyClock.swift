import Foundation
import PinganCampaign

/// Duty's "now" on the campaign clock, and how often the missed-checkpoint stream looks again.
/// Tests give their own to move time by hand.
public struct DutyClock: Sendable {
    public var now: @Sendable () -> LocalTime
    public var watchInterval: Duration

    public init(now: @escaping @Sendable () -> LocalTime, watchInterval: Duration) {
        self.now = now
        self.watchInterval = watchInterval
    }

    /// The wall clock in Asia/Shanghai, whatever the machine's zone; the stream looks every 5 s
    /// (a checkpoint is judged to the minute).
    public static let shanghai = DutyClock(now: {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date())
        return LocalTime(day: CalendarDay(year: parts.year!, month: parts.month!, day: parts.day!)!, minute: parts.hour! * 60 + parts.minute!)!
    }, watchInterval: .seconds(5))
}

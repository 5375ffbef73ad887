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
    public static let shanghai = DutyClock(now: { LocalTime.shanghaiNow() }, watchInterval: .seconds(5))
}

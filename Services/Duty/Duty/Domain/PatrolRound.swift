import PinganCampaign
import PinganRules

/// A patrol shift's round: the post's route walked once from the moment the shift starts, each
/// checkpoint expected at the start plus its minutes. A check-in up to `graceMinutes` after that
/// is on time; later, late; none by then, missed. Guard-tour systems judge rounds this way.
public struct PatrolRound: Sendable, Hashable {
    public enum State: String, Sendable {
        /// Checked in no later than the grace allows.
        case onTime = "on_time"
        /// Checked in after the grace.
        case late
        /// Not checked in, and the grace has passed.
        case missed
        /// Not checked in yet, and there is still time.
        case due
    }

    public struct Point: Sendable, Hashable {
        public var position: Int
        public var name: String
        public var expected: LocalTime
        public var checkedAt: LocalTime?
        public var state: State

        /// When an unvisited checkpoint becomes missed.
        public var deadline: LocalTime { expected.adding(minutes: PatrolRound.graceMinutes) }
    }

    /// Minutes after its expected time a checkpoint is still on time.
    public static let graceMinutes = 10

    public var points: [Point]

    /// Every checkpoint checked in, on time or late.
    public var isComplete: Bool { points.allSatisfy { $0.checkedAt != nil } }

    /// The round of a shift starting at `starts`, with its check-ins (position to time), as
    /// judged at `now`.
    public init(route: [Checkpoint], starts: LocalTime, checkIns: [Int: LocalTime], now: LocalTime) {
        points = route.enumerated().map { position, checkpoint in
            let expected = starts.adding(minutes: checkpoint.minutesFromStart)
            let deadline = expected.adding(minutes: Self.graceMinutes)
            let checkedAt = checkIns[position]
            let state: State = switch checkedAt {
            case let at?: at <= deadline ? .onTime : .late
            case nil: now > deadline ? .missed : .due
            }
            return Point(position: position, name: checkpoint.name, expected: expected, checkedAt: checkedAt, state: state)
        }
    }

    /// The checkpoint a check-in names, or the rule it breaks: the name is on the route, and the
    /// time falls within the shift (its ends included, a round may finish on the last minute).
    public static func checkpoint(named name: String, at time: LocalTime, route: [Checkpoint], shift: (LocalTime, LocalTime)) -> Result<Int, Refusal> {
        var rules: [BrokenRule] = []
        let position = route.firstIndex { $0.name == name.trimmed }
        if position == nil {
            rules.append(BrokenRule(field: "checkpoint", rule: "UNKNOWN_CHECKPOINT",
                                    message: "'\(name.prefix(64))' is not on the route; its checkpoints: \(route.map(\.name).joined(separator: ", "))"))
        }
        if time < shift.0 || shift.1 < time {
            rules.append(BrokenRule(field: "at", rule: "OUTSIDE_SHIFT", kind: .state, message: "\(time) is outside the shift \(shift.0)-\(shift.1)"))
        }
        guard rules.isEmpty, let position else { return .failure(Refusal("check-in", rules)) }
        return .success(position)
    }
}

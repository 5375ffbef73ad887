import PinganCampaign
import PinganRules

/// The rules of fixing a person to a post for a time.
public enum ShiftRules {
    /// The longest shift.
    public static let maximumMinutes = 24 * 60

    /// The shift's window, or every rule its times break: both "YYYY-MM-DD HH:MM", the end after
    /// the start, at most 24 hours.
    public static func window(starts: String, ends: String) -> Result<(LocalTime, LocalTime), Refusal> {
        var rules: [BrokenRule] = []
        let start = LocalTime(starts), end = LocalTime(ends)
        if start == nil { rules.append(BrokenRule(field: "starts", rule: "TIME", message: "'\(starts.prefix(32))' is not a time (YYYY-MM-DD HH:MM)")) }
        if end == nil { rules.append(BrokenRule(field: "ends", rule: "TIME", message: "'\(ends.prefix(32))' is not a time (YYYY-MM-DD HH:MM)")) }
        if let start, let end {
            if end <= start {
                rules.append(BrokenRule(field: "ends", rule: "ENDS_BEFORE_START", message: "\(end) is not after the start \(start)"))
            } else if start.minutes(until: end) > maximumMinutes {
                rules.append(BrokenRule(field: "ends", rule: "SHIFT_TOO_LONG", message: "a shift lasts at most 24 hours"))
            }
        }
        guard rules.isEmpty, let start, let end else { return .failure(Refusal("shift", rules)) }
        return .success((start, end))
    }

    /// The first of `others` the window overlaps (touching ends do not), as the rule it breaks.
    public static func overlap(_ window: (LocalTime, LocalTime), with others: [(id: Int64, starts: LocalTime, ends: LocalTime)]) -> BrokenRule? {
        guard let clash = others.first(where: { LocalTime.overlap(window, ($0.starts, $0.ends)) }) else { return nil }
        return BrokenRule(field: "starts", rule: "OVERLAPPING_SHIFT", kind: .state,
                          message: "the volunteer is on shift \(clash.id) from \(clash.starts) to \(clash.ends)")
    }
}

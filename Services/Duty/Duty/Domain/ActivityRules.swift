import PinganCampaign
import PinganRules

/// What an activity record must say: who, which project, when, where and how long.
public enum ActivityRules {
    /// The most rows one activity sheet may have.
    public static let maximumRows = 5_000

    /// Every rule the place, hours and note break, under `prefix` ("rows[3]." for a sheet's row).
    public static func rules(place: String, hours: Double, note: String, prefix: String = "") -> [BrokenRule] {
        var rules: [BrokenRule] = []
        if place.trimmed.isEmpty || place.count > 200 { rules.append(BrokenRule(field: prefix + "place", rule: "PLACE", message: "must be 1-200 characters")) }
        if !(hours > 0 && hours <= 24) { rules.append(BrokenRule(field: prefix + "hours", rule: "HOURS", message: "must be more than 0 and at most 24, got \(hours)")) }
        if note.count > 500 { rules.append(BrokenRule(field: prefix + "note", rule: "NOTE", message: "at most 500 characters")) }
        return rules
    }

    /// A sheet's row checked: its project and day, or every rule it breaks.
    public static func row(project: String, day: String, place: String, hours: Double, note: String,
                           prefix: String) -> Result<(ServiceProject, CalendarDay), Refusal> {
        var rules: [BrokenRule] = []
        var parsed: ServiceProject?
        switch ServiceProject.parse(project, field: prefix + "project") {
        case .success(let value): parsed = value
        case .failure(let rule): rules.append(rule)
        }
        let date = CalendarDay(iso: day)
        if date == nil { rules.append(BrokenRule(field: prefix + "day", rule: "DATE", message: "'\(day.prefix(32))' is not a date (YYYY-MM-DD)")) }
        rules += Self.rules(place: place, hours: hours, note: note, prefix: prefix)
        guard rules.isEmpty, let parsed, let date else { return .failure(Refusal("activity", rules)) }
        return .success((parsed, date))
    }
}

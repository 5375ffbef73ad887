import PinganCampaign
import PinganRules

/// A team on a post on a weekly pattern: each slot is a volunteer on a weekday from a time to a
/// time, repeated on every such day of the period. Expanded into the shifts it stands for
/// before any of them is checked, so that every refused shift can be listed at once.
public enum Rota {
    public struct Slot: Sendable, Hashable {
        public var volunteerID: Int64
        /// 1 for Monday through 7 for Sunday.
        public var weekday: Int
        public var starts: String
        public var ends: String

        public init(volunteerID: Int64, weekday: Int, starts: String, ends: String) {
            self.volunteerID = volunteerID
            self.weekday = weekday
            self.starts = starts
            self.ends = ends
        }
    }

    /// One shift the rota stands for, with the slot it came from.
    public struct Planned: Sendable, Hashable {
        public var slot: Int
        public var volunteerID: Int64
        public var starts: LocalTime
        public var ends: LocalTime
    }

    /// The longest period, the most slots and the most shifts one rota may have.
    public static let maximumDays = 92
    public static let maximumSlots = 1_000
    public static let maximumShifts = 20_000

    /// The shifts of `slots` on every matching day from `from` to `to`, in time order, or every
    /// rule broken: the period, each slot's volunteer, weekday and times (an end at or before the
    /// start is the next day), the size, and two slots putting one volunteer on overlapping
    /// shifts.
    public static func expand(_ slots: [Slot], from: CalendarDay, to: CalendarDay) -> Result<[Planned], Refusal> {
        var rules: [BrokenRule] = []
        let days = Array(sequence(first: from) { $0.next }.prefix { $0 <= to }.prefix(maximumDays + 1))
        if days.isEmpty || days.count > maximumDays {
            rules.append(BrokenRule(field: "to", rule: "ROTA_PERIOD", message: "the period runs from \(from) to \(to); it must be 1-\(maximumDays) days"))
        }
        if slots.isEmpty { rules.append(BrokenRule(field: "slots", rule: "SLOTS_REQUIRED", message: "a rota needs at least one slot")) }
        // Refused before any slot is read: a flood of slots costs nothing but this count.
        guard slots.count <= maximumSlots else {
            return .failure(Refusal("rota", rules + [BrokenRule(field: "slots", rule: "ROTA_SIZE",
                                                                message: "\(slots.count) slots; a rota has at most \(maximumSlots)")]))
        }
        var times: [Int: (starts: Int, minutes: Int)] = [:]
        for (index, slot) in slots.enumerated() {
            let field = "slots[\(index)]"
            if slot.volunteerID <= 0 { rules.append(BrokenRule(field: "\(field).volunteerId", rule: "VOLUNTEER_REQUIRED", message: "must be a volunteer id")) }
            if !(1...7).contains(slot.weekday) {
                rules.append(BrokenRule(field: "\(field).weekday", rule: "WEEKDAY", message: "\(slot.weekday) is not 1 (Monday) to 7 (Sunday)"))
            }
            guard let starts = minuteOfDay(slot.starts), let ends = minuteOfDay(slot.ends) else {
                rules.append(BrokenRule(field: "\(field).starts", rule: "TIME_OF_DAY", message: "'\(slot.starts.prefix(8))'-'\(slot.ends.prefix(8))' are not HH:MM times"))
                continue
            }
            times[index] = (starts, ends > starts ? ends - starts : ends + 1440 - starts)
        }
        guard rules.isEmpty else { return .failure(Refusal("rota", rules)) }

        // The size from the weekdays alone, before any shift is built.
        let perWeekday = Dictionary(grouping: slots, by: \.weekday).mapValues(\.count)
        let size = days.reduce(0) { $0 + (perWeekday[$1.weekday] ?? 0) }
        guard size > 0, size <= maximumShifts else {
            return .failure(Refusal("rota", BrokenRule(field: "slots", rule: "ROTA_SIZE", message: "the rota stands for \(size) shifts; it must be 1-\(maximumShifts)")))
        }
        var planned: [Planned] = []
        planned.reserveCapacity(size)
        for day in days {
            for (index, slot) in slots.enumerated() where slot.weekday == day.weekday {
                let time = times[index]!
                let starts = LocalTime(day: day, minute: time.starts)!
                planned.append(Planned(slot: index, volunteerID: slot.volunteerID, starts: starts, ends: starts.adding(minutes: time.minutes)))
            }
        }
        planned.sort { ($0.starts, $0.slot) < ($1.starts, $1.slot) }
        // Within the rota: each volunteer's shifts in time order, each against the one before.
        var last: [Int64: Planned] = [:]
        for shift in planned {
            if let before = last[shift.volunteerID], before.ends > shift.starts {
                rules.append(BrokenRule(field: "slots[\(shift.slot)]", rule: "OVERLAPPING_SHIFT", kind: .state,
                                        message: "\(shift.starts): volunteer \(shift.volunteerID) is already on slot \(before.slot) until \(before.ends)"))
            }
            if last[shift.volunteerID].map({ $0.ends < shift.ends }) ?? true { last[shift.volunteerID] = shift }
        }
        guard rules.isEmpty else { return .failure(Refusal("rota", rules)) }
        return .success(planned)
    }

    /// "HH:MM" to minutes since midnight.
    static func minuteOfDay(_ text: String) -> Int? {
        LocalTime("2000-01-01 \(text)")?.minute
    }
}

import PinganCampaign
import PinganRules
/// A scheduled time and place where a course is taught.
public struct TrainingSession: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case scheduled
        case cancelled
    }

    public var id: Int64
    public var courseID: Int64
    public var starts: LocalTime
    public var ends: LocalTime
    public var place: String
    public var capacity: Int
    public var trainer: String
    public var status: Status
    public var enrolled: Int

    public init(id: Int64, courseID: Int64, starts: LocalTime, ends: LocalTime, place: String, capacity: Int, trainer: String,
                status: Status = .scheduled, enrolled: Int = 0) {
        self.id = id
        self.courseID = courseID
        self.starts = starts
        self.ends = ends
        self.place = place
        self.capacity = capacity
        self.trainer = trainer
        self.status = status
        self.enrolled = enrolled
    }

    /// Length in hours, the attendance credited to someone present throughout.
    public var hours: Double { Double(starts.minutes(until: ends)) / 60 }

    /// Two sessions overlap when each starts before the other ends (back to back is fine).
    public func overlaps(_ other: TrainingSession) -> Bool {
        starts < other.ends && other.starts < ends
    }
}

/// The rules of sessions and enrollment, as plain functions.
public enum SessionRules {
    public static let maximumCapacity = 1000
    /// A session is one sitting: at most 12 hours.
    public static let maximumMinutes = 12 * 60

    /// Problems with a session's time, place, capacity and trainer.
    public static func check(starts: String, ends: String, place: String, capacity: Int, trainer: String) -> Result<(LocalTime, LocalTime), Refusal> {
        var problems: [BrokenRule] = []
        let start = LocalTime(starts), end = LocalTime(ends)
        if start == nil { problems.append(BrokenRule(field: "starts", rule: "TIME", message: "'\(starts)' is not a time (YYYY-MM-DD HH:MM)")) }
        if end == nil { problems.append(BrokenRule(field: "ends", rule: "TIME", message: "'\(ends)' is not a time (YYYY-MM-DD HH:MM)")) }
        if let start, let end {
            if end <= start {
                problems.append(BrokenRule(field: "ends", rule: "ENDS_BEFORE_START", message: "\(end) is not after the start \(start)"))
            } else if start.minutes(until: end) > maximumMinutes {
                problems.append(BrokenRule(field: "ends", rule: "SESSION_TOO_LONG", message: "a session lasts at most 12 hours"))
            }
        }
        if place.trimmed.isEmpty { problems.append(BrokenRule(field: "place", rule: "PLACE_REQUIRED", message: "must not be empty")) }
        if trainer.trimmed.isEmpty { problems.append(BrokenRule(field: "trainer", rule: "TRAINER_REQUIRED", message: "must not be empty")) }
        if !(1...maximumCapacity).contains(capacity) { problems.append(BrokenRule(field: "capacity", rule: "CAPACITY", message: "must be 1-\(maximumCapacity), got \(capacity)")) }
        guard problems.isEmpty, let start, let end else { return .failure(Refusal("session", problems)) }
        return .success((start, end))
    }

    /// Problems with enrolling a volunteer in `session`, given the sessions they already have.
    public static func checkEnrollment(in session: TrainingSession, alreadyIn others: [TrainingSession]) -> [BrokenRule] {
        var problems: [BrokenRule] = []
        if session.status == .cancelled {
            problems.append(BrokenRule(field: "sessionId", rule: "SESSION_CANCELLED", kind: .state, message: "session \(session.id) was cancelled"))
        }
        if others.contains(where: { $0.id == session.id }) {
            problems.append(BrokenRule(field: "volunteerId", rule: "ALREADY_ENROLLED", kind: .duplicate, message: "already enrolled in session \(session.id)"))
        } else if let clash = others.first(where: { $0.status == .scheduled && $0.overlaps(session) }) {
            problems.append(BrokenRule(field: "sessionId", rule: "OVERLAPPING_SESSION", kind: .state, message: "overlaps session \(clash.id) (\(clash.starts)-\(clash.ends.minuteText)) the volunteer is enrolled in"))
        }
        if session.enrolled >= session.capacity {
            problems.append(BrokenRule(field: "sessionId", rule: "SESSION_FULL", kind: .state, message: "all \(session.capacity) seats of session \(session.id) are taken"))
        }
        return problems
    }
}

extension LocalTime {
    /// "HH:MM".
    var minuteText: String { String(description.suffix(5)) }
}

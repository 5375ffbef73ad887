import PinganCampaign

/// A volunteer's standing in one course.
public struct CourseRecord: Sendable, Hashable {
    public var hours: Double
    /// Nil until assessed.
    public var assessmentPassed: Bool?
    /// When the course was complete (hours reached and, where required, the assessment passed).
    public var completedOn: CalendarDay?

    public init(hours: Double = 0, assessmentPassed: Bool? = nil, completedOn: CalendarDay? = nil) {
        self.hours = hours
        self.assessmentPassed = assessmentPassed
        self.completedOn = completedOn
    }

    /// Complete once the hours are reached and a required assessment is passed; the day is the
    /// later of the two events.
    public static func completion(hours: Double, hoursReachedOn: CalendarDay?, course: Course, assessment: (passed: Bool, on: CalendarDay)?) -> CalendarDay? {
        guard hours + 1e-9 >= course.requiredHours, let reached = hoursReachedOn else { return nil }
        guard course.assessmentRequired else { return reached }
        guard let assessment, assessment.passed else { return nil }
        return max(reached, assessment.on)
    }
}

/// Why a volunteer is not qualified: a course they lack.
public struct MissingCourse: Sendable, Hashable {
    public enum Reason: String, Sendable, Hashable {
        case notCompleted = "NOT_COMPLETED"
        case expired = "EXPIRED"
    }

    public var course: Course
    public var reason: Reason
}

/// "Is volunteer V qualified for project P on date D?"
///
/// Pre-job training is always required, and its completion must count on D. Post training is
/// required from the day after its deadline (until then the volunteer serves on pre-job
/// training alone). A project's skill courses are required for that project.
public enum QualificationRules {
    public static func required(_ courses: [Course], project: String, on day: CalendarDay) -> [Course] {
        courses.filter { course in
            switch course.kind {
            case .preJob: true
            case .postQuality: day > course.deadline
            case .projectSkill: course.projects.contains(project)
            }
        }
    }

    /// Every required course the volunteer lacks on `day`; empty means qualified.
    public static func missing(_ courses: [Course], records: [Int64: CourseRecord], project: String, on day: CalendarDay) -> [MissingCourse] {
        required(courses, project: project, on: day).compactMap { course in
            guard let completed = records[course.id]?.completedOn, completed <= day else {
                return MissingCourse(course: course, reason: .notCompleted)
            }
            if let validThrough = course.validThrough, day > validThrough { return MissingCourse(course: course, reason: .expired) }
            return nil
        }
    }
}

import PinganCampaign
import PinganRPC
import PinganRules

/// What a course is for: the town plan's pre-job training (before Spring Festival 2010), the
/// quality-improvement post training (by the end of April 2010), and skills per service project.
public enum CourseKind: String, Sendable, Hashable, CaseIterable {
    case preJob = "pre_job"
    case postQuality = "post_quality"
    case projectSkill = "project_skill"
}

public struct Course: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String
    public var kind: CourseKind
    /// Service projects it qualifies for (project skills).
    public var projects: [String]
    /// The last day to complete it.
    public var deadline: CalendarDay
    /// The last day a completion counts; nil: no expiry.
    public var validThrough: CalendarDay?
    public var requiredHours: Double
    public var assessmentRequired: Bool

    public init(id: Int64, code: String, name: String, kind: CourseKind, projects: [String] = [], deadline: CalendarDay,
                validThrough: CalendarDay? = nil, requiredHours: Double, assessmentRequired: Bool = false) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.projects = projects
        self.deadline = deadline
        self.validThrough = validThrough
        self.requiredHours = requiredHours
        self.assessmentRequired = assessmentRequired
    }
}

/// A course as asked for, before the campaign's phases turn into its dates.
public struct CourseDraft: Sendable, Hashable {
    public var code: String
    public var name: String
    public var kind: String
    public var projects: [String]
    public var deadlinePhase: String
    public var validThroughPhase: String?
    public var requiredHours: Double
    public var assessmentRequired: Bool

    public init(code: String, name: String, kind: String, projects: [String], deadlinePhase: String, validThroughPhase: String?,
                requiredHours: Double, assessmentRequired: Bool) {
        self.code = code
        self.name = name
        self.kind = kind
        self.projects = projects
        self.deadlinePhase = deadlinePhase
        self.validThroughPhase = validThroughPhase
        self.requiredHours = requiredHours
        self.assessmentRequired = assessmentRequired
    }

    /// The course, with its dates from `calendar`, or every problem with the draft.
    public func course(id: Int64, calendar: CampaignCalendar) -> Result<Course, Refusal> {
        var problems: [BrokenRule] = []
        let code = code.trimmed, name = name.trimmed
        if code.isEmpty || code.count > 32 { problems.append(BrokenRule(field: "code", rule: "COURSE_CODE", message: "must be 1-32 characters")) }
        if name.isEmpty || name.count > 64 { problems.append(BrokenRule(field: "name", rule: "COURSE_NAME", message: "must be 1-64 characters")) }
        let kind = CourseKind(rawValue: self.kind)
        if kind == nil {
            problems.append(BrokenRule(field: "kind", rule: "COURSE_KIND", message: "'\(self.kind)' is not one of \(CourseKind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let projects = projects.map(\.trimmed).filter { !$0.isEmpty }
        if kind == .projectSkill, projects.isEmpty {
            problems.append(BrokenRule(field: "projects", rule: "PROJECTS_REQUIRED", message: "a project_skill course names the projects it qualifies for"))
        }
        let deadline = calendar.phase(deadlinePhase)?.ends
        if deadline == nil {
            problems.append(BrokenRule(field: "deadlinePhase", rule: "UNKNOWN_PHASE", message: "'\(deadlinePhase)' is not a phase of the campaign (\(calendar.phases.map(\.key).joined(separator: ", ")))"))
        }
        var validThrough: CalendarDay?
        if let key = validThroughPhase {
            validThrough = calendar.phase(key)?.ends
            if validThrough == nil { problems.append(BrokenRule(field: "validThroughPhase", rule: "UNKNOWN_PHASE", message: "'\(key)' is not a phase of the campaign")) }
        }
        if let deadline, let validThrough, validThrough < deadline {
            problems.append(BrokenRule(field: "validThroughPhase", rule: "VALIDITY_BEFORE_DEADLINE", message: "completions would expire (\(validThrough)) before the deadline (\(deadline))"))
        }
        if !(requiredHours > 0 && requiredHours <= 200) {
            problems.append(BrokenRule(field: "requiredHours", rule: "REQUIRED_HOURS", message: "must be more than 0 and at most 200"))
        }
        guard problems.isEmpty, let kind, let deadline else { return .failure(Refusal("course", problems)) }
        return .success(Course(id: id, code: code, name: name, kind: kind, projects: projects, deadline: deadline, validThrough: validThrough,
                               requiredHours: requiredHours, assessmentRequired: assessmentRequired))
    }
}

/// One broken rule: the field (camel case, as in the domain), a stable rule code, and why.

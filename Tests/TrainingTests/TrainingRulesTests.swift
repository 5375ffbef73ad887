import PinganCampaign
import Testing
@testable import Training

@Suite("Training rules")
struct TrainingRulesTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    static func draft(kind: String = "pre_job", projects: [String] = [], deadline: String = "pre_job_training", validThrough: String? = "expo",
                      hours: Double = 8) -> CourseDraft {
        CourseDraft(code: "PJ-01", name: "岗前培训", kind: kind, projects: projects, deadlinePhase: deadline, validThroughPhase: validThrough,
                    requiredHours: hours, assessmentRequired: false)
    }

    @Test("a course takes its deadline and validity from the campaign's phases")
    func courseDates() throws {
        let course = try Self.draft().course(id: 1, calendar: .expo2010).get()
        #expect(course.deadline == Self.day("2010-02-13"))
        #expect(course.validThrough == Self.day("2010-10-31"))
        let refused = try #require(Self.draft(kind: "seminar", deadline: "spring", hours: 0).course(id: 1, calendar: .expo2010).failure)
        #expect(refused.rules.map(\.rule) == ["COURSE_KIND", "UNKNOWN_PHASE", "REQUIRED_HOURS"])
        #expect(Self.draft(kind: "project_skill").course(id: 1, calendar: .expo2010).failure?.rules.map(\.rule) == ["PROJECTS_REQUIRED"])
        #expect(Self.draft(deadline: "expo", validThrough: "post_training").course(id: 1, calendar: .expo2010).failure?.rules.map(\.rule)
            == ["VALIDITY_BEFORE_DEADLINE"])
    }

    static func session(_ id: Int64, _ starts: String, _ ends: String, capacity: Int = 10, enrolled: Int = 0) -> TrainingSession {
        TrainingSession(id: id, courseID: 1, starts: LocalTime(starts)!, ends: LocalTime(ends)!, place: "镇政府3号楼303室", capacity: capacity,
                        trainer: "周海燕", enrolled: enrolled)
    }

    @Test("sessions overlap when each starts before the other ends; back to back is fine")
    func overlap() {
        let morning = Self.session(1, "2009-11-20 09:00", "2009-11-20 12:00")
        #expect(morning.overlaps(Self.session(2, "2009-11-20 11:30", "2009-11-20 13:00")))
        #expect(morning.overlaps(Self.session(3, "2009-11-20 08:00", "2009-11-20 18:00")))
        #expect(!morning.overlaps(Self.session(4, "2009-11-20 12:00", "2009-11-20 14:00")))
        #expect(!morning.overlaps(Self.session(5, "2009-11-21 09:00", "2009-11-21 12:00")))
        #expect(morning.hours == 3)
    }

    @Test("enrollment is refused in a full, cancelled or overlapping session, and twice in one")
    func enrollment() {
        let session = Self.session(1, "2009-11-20 09:00", "2009-11-20 12:00", capacity: 2, enrolled: 1)
        #expect(SessionRules.checkEnrollment(in: session, alreadyIn: []).isEmpty)
        #expect(SessionRules.checkEnrollment(in: Self.session(1, "2009-11-20 09:00", "2009-11-20 12:00", capacity: 2, enrolled: 2), alreadyIn: [])
            .map(\.rule) == ["SESSION_FULL"])
        #expect(SessionRules.checkEnrollment(in: session, alreadyIn: [Self.session(9, "2009-11-20 11:00", "2009-11-20 15:00")]).map(\.rule)
            == ["OVERLAPPING_SESSION"])
        #expect(SessionRules.checkEnrollment(in: session, alreadyIn: [session]).map(\.rule) == ["ALREADY_ENROLLED"])
        var cancelled = session
        cancelled.status = .cancelled
        #expect(SessionRules.checkEnrollment(in: cancelled, alreadyIn: []).map(\.rule) == ["SESSION_CANCELLED"])
    }

    @Test("session times: parsed to the minute, ends after starts, at most 12 hours, a place and a trainer")
    func sessionChecks() {
        #expect(LocalTime("2009-11-20 09:05")?.description == "2009-11-20 09:05")
        #expect(LocalTime("2009-11-20T24:00") == nil)
        #expect(LocalTime("2009-11-20 9:00") == nil)
        let refused = SessionRules.check(starts: "2009-11-20 12:00", ends: "2009-11-20 09:00", place: " ", capacity: 0, trainer: "").failure
        #expect(refused?.rules.map(\.rule) == ["ENDS_BEFORE_START", "PLACE_REQUIRED", "TRAINER_REQUIRED", "CAPACITY"])
        #expect(SessionRules.check(starts: "2009-11-20 06:00", ends: "2009-11-20 19:00", place: "p", capacity: 1, trainer: "t").failure?.rules
            .map(\.rule) == ["SESSION_TOO_LONG"])
        #expect(SessionRules.check(starts: "2009-11-20 22:00", ends: "2009-11-21 02:00", place: "p", capacity: 1, trainer: "t").failure == nil)
    }

    static let preJob = Course(id: 1, code: "PJ-01", name: "岗前培训", kind: .preJob, deadline: day("2010-02-13"), validThrough: day("2010-10-31"), requiredHours: 8)
    static let post = Course(id: 2, code: "PQ-01", name: "上岗提升培训", kind: .postQuality, deadline: day("2010-04-30"), requiredHours: 4)
    static let patrol = Course(id: 3, code: "PS-PATROL", name: "巡逻技能", kind: .projectSkill, projects: ["patrol"], deadline: day("2010-04-30"), requiredHours: 2)

    @Test("post training is required from the day after its deadline: qualified on the deadline day, not the day after")
    func deadlineDay() {
        let courses = [Self.preJob, Self.post, Self.patrol]
        let preJobOnly: [Int64: CourseRecord] = [1: CourseRecord(hours: 8, completedOn: Self.day("2009-12-01"))]
        #expect(QualificationRules.missing(courses, records: preJobOnly, project: "building_guard", on: Self.day("2010-04-30")).isEmpty)
        let dayAfter = QualificationRules.missing(courses, records: preJobOnly, project: "building_guard", on: Self.day("2010-05-01"))
        #expect(dayAfter.map(\.course.code) == ["PQ-01"])
        #expect(dayAfter.map(\.reason) == [.notCompleted])
    }

    @Test("pre-job training always, a project's skills for that project, completions counted from their day until they expire")
    func qualification() {
        let courses = [Self.preJob, Self.post, Self.patrol]
        #expect(QualificationRules.missing(courses, records: [:], project: "patrol", on: Self.day("2009-12-01")).map(\.course.code) == ["PJ-01", "PS-PATROL"])
        let records: [Int64: CourseRecord] = [1: CourseRecord(hours: 8, completedOn: Self.day("2009-12-01")),
                                              2: CourseRecord(hours: 4, completedOn: Self.day("2010-03-01")),
                                              3: CourseRecord(hours: 2, completedOn: Self.day("2010-03-02"))]
        #expect(QualificationRules.missing(courses, records: records, project: "patrol", on: Self.day("2010-03-02")).isEmpty)
        #expect(QualificationRules.missing(courses, records: records, project: "patrol", on: Self.day("2010-03-01")).map(\.course.code) == ["PS-PATROL"],
                "not before the day it was completed")
        #expect(QualificationRules.missing(courses, records: records, project: "patrol", on: Self.day("2010-11-01")).map(\.reason) == [.expired])
    }

    @Test("a course is complete when the hours are reached and a required assessment passed, on the later day")
    func completion() {
        var course = Self.preJob
        #expect(CourseRecord.completion(hours: 7.5, hoursReachedOn: nil, course: course, assessment: nil) == nil)
        #expect(CourseRecord.completion(hours: 8, hoursReachedOn: Self.day("2009-12-01"), course: course, assessment: nil) == Self.day("2009-12-01"))
        course.assessmentRequired = true
        #expect(CourseRecord.completion(hours: 8, hoursReachedOn: Self.day("2009-12-01"), course: course, assessment: nil) == nil)
        #expect(CourseRecord.completion(hours: 8, hoursReachedOn: Self.day("2009-12-01"), course: course, assessment: (false, Self.day("2009-12-02"))) == nil)
        #expect(CourseRecord.completion(hours: 8, hoursReachedOn: Self.day("2009-12-01"), course: course, assessment: (true, Self.day("2009-12-05")))
            == Self.day("2009-12-05"))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

import PinganCampaign
import PinganRPC
import PinganServiceKit
import PinganStore
import PinganTrainingContracts

/// The training service's RPC methods: each translates the request, applies the caller's role
/// and unit scope, asks the registry where a rule needs it, and calls the store.
public struct TrainingService: RPCService {
    let store: TrainingStore
    let calendar: CampaignCalendar
    let directory: any VolunteerDirectory

    public static let maximumQualificationBatch = 10_000

    public init(store: TrainingStore, calendar: CampaignCalendar, directory: any VolunteerDirectory) {
        self.store = store
        self.calendar = calendar
        self.directory = directory
    }

    public func register(with router: inout Router) {
        router.register(TrainingMethods.createCourse) { (request: Pingan_Training_V1_CreateCourseRequest, context) in
            try await createCourse(request, context)
        }
        router.register(TrainingMethods.listCourses) { (_: Pingan_Training_V1_ListCoursesRequest, _) in
            var list = Pingan_Training_V1_CourseList()
            list.courses = try await store.courses().map(Self.message)
            return list
        }
        router.register(TrainingMethods.scheduleSession) { (request: Pingan_Training_V1_ScheduleSessionRequest, context) in
            try await scheduleSession(request, context)
        }
        router.register(TrainingMethods.rescheduleSession) { (request: Pingan_Training_V1_RescheduleSessionRequest, context) in
            try await rescheduleSession(request, context)
        }
        router.register(TrainingMethods.cancelSession) { (request: Pingan_Training_V1_CancelSessionRequest, context) in
            try await cancelSession(request, context)
        }
        router.register(TrainingMethods.listSessions) { (request: Pingan_Training_V1_ListSessionsRequest, _) in
            var list = Pingan_Training_V1_SessionList()
            list.sessions = try await store.sessions(courseID: request.courseID == 0 ? nil : request.courseID).map(Self.message)
            return list
        }
        router.register(TrainingMethods.enroll) { (request: Pingan_Training_V1_EnrollRequest, context) in
            try await enroll(request, context)
        }
        router.register(TrainingMethods.recordAttendance) { (request: Pingan_Training_V1_RecordAttendanceRequest, context) in
            try await recordAttendance(request, context)
        }
        router.register(TrainingMethods.recordAssessment) { (request: Pingan_Training_V1_RecordAssessmentRequest, context) in
            try await recordAssessment(request, context)
        }
        router.register(TrainingMethods.checkQualification) { (request: Pingan_Training_V1_CheckQualificationRequest, _) in
            let answers = try await qualifications(ids: [request.volunteerID], project: request.project, on: request.on)
            return answers[0]
        }
        router.register(TrainingMethods.checkQualifications) { (request: Pingan_Training_V1_CheckQualificationsRequest, _) in
            guard request.volunteerIds.count <= Self.maximumQualificationBatch else {
                throw RPCError(.invalidArgument, "volunteer_ids: at most \(Self.maximumQualificationBatch) per call, got \(request.volunteerIds.count)")
            }
            var list = Pingan_Training_V1_QualificationList()
            list.qualifications = try await qualifications(ids: request.volunteerIds, project: request.project, on: request.on)
            return list
        }
        router.register(TrainingMethods.getVolunteerTraining) { (request: Pingan_Training_V1_GetVolunteerTrainingRequest, context) in
            try await volunteerTraining(request, context)
        }
        router.register(TrainingMethods.getCompletionReport) { (request: Pingan_Training_V1_GetCompletionReportRequest, context) in
            try await completionReport(request, context)
        }
        router.register(TrainingMethods.listOverdue) { (request: Pingan_Training_V1_ListOverdueRequest, context) in
            try await listOverdue(request, context)
        }
        router.register(TrainingMethods.getTrainerLoad) { (_: Pingan_Training_V1_GetTrainerLoadRequest, _) in
            var load = Pingan_Training_V1_TrainerLoad()
            load.trainers = try await store.trainerLoad().map { line in
                var message = Pingan_Training_V1_TrainerLine()
                message.trainer = line.trainer
                message.sessions = Int32(line.sessions)
                message.hours = line.hours
                message.enrolled = Int32(line.enrolled)
                return message
            }
            return load
        }
    }

    // MARK: Courses and sessions

    func createCourse(_ request: Pingan_Training_V1_CreateCourseRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_Course {
        let draft = CourseDraft(code: request.code, name: request.name, kind: request.kind, projects: request.projects,
                                deadlinePhase: request.deadlinePhase, validThroughPhase: request.validThroughPhase.isEmpty ? nil : request.validThroughPhase,
                                requiredHours: request.requiredHours, assessmentRequired: request.assessmentRequired)
        let idempotency = try IdempotencyKey(context, request)
        return Self.message(try await store.createCourse(draft, calendar: calendar, actor: context.actor, requestID: context.requestID, idempotency: idempotency))
    }

    func scheduleSession(_ request: Pingan_Training_V1_ScheduleSessionRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_Session {
        let idempotency = try IdempotencyKey(context, request)
        return Self.message(try await store.scheduleSession(
            courseID: request.courseID, starts: request.starts, ends: request.ends, place: request.place, capacity: Int(request.capacity),
            trainer: request.trainer, actor: context.actor, requestID: context.requestID, idempotency: idempotency))
    }

    func rescheduleSession(_ request: Pingan_Training_V1_RescheduleSessionRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_SessionChange {
        let change = try await store.reschedule(
            sessionID: request.id, starts: request.starts, ends: request.ends, place: request.place.isEmpty ? nil : request.place,
            capacity: request.capacity == 0 ? nil : Int(request.capacity), actor: context.actor, requestID: context.requestID)
        guard let change else { throw RPCError(.notFound, "id: session \(request.id) does not exist") }
        return Self.message(change)
    }

    func cancelSession(_ request: Pingan_Training_V1_CancelSessionRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_SessionChange {
        let change = try await store.cancel(sessionID: request.id, reason: request.reason, actor: context.actor, requestID: context.requestID)
        guard let change else { throw RPCError(.notFound, "id: session \(request.id) does not exist") }
        return Self.message(change)
    }

    // MARK: Enrollment and records

    /// Asks the registry first, outside any transaction, within the caller's deadline.
    func enroll(_ request: Pingan_Training_V1_EnrollRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_Enrollment {
        let idempotency = try IdempotencyKey(context, request)
        let volunteer = try await registryVolunteer(request.volunteerID, context)
        guard let volunteer, Self.inScope(context, unit: volunteer.unitCode) else {
            if volunteer != nil {
                await context.recordDenial("NOT_FOUND answered: volunteer \(request.volunteerID) is outside the caller's unit")
            }
            throw RPCError(.notFound, "volunteer_id: volunteer \(request.volunteerID) does not exist in your scope")
        }
        guard volunteer.status == "active" else {
            throw RPCError(.failedPrecondition, "volunteer_id: volunteer \(volunteer.id) is \(volunteer.status) in the registry; only active volunteers enroll")
        }
        let (session, seatsLeft) = try await store.enroll(
            sessionID: request.sessionID, volunteer: volunteer, actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        var answer = Pingan_Training_V1_Enrollment()
        answer.sessionID = session.id
        answer.volunteerID = volunteer.id
        answer.volunteerName = volunteer.name
        answer.unitCode = volunteer.unitCode
        answer.seatsLeft = Int32(seatsLeft)
        return answer
    }

    func registryVolunteer(_ id: Int64, _ context: ServerContext) async throws -> VolunteerSnapshot? {
        do {
            return try await directory.volunteer(id, deadline: context.deadline, requestID: context.requestID)
        } catch let error as RPCError {
            throw error.fromDownstream("registry", "volunteer \(id) cannot be checked")
        }
    }

    func recordAttendance(_ request: Pingan_Training_V1_RecordAttendanceRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_AttendanceResult {
        let rows = request.rows.map { AttendanceRow(volunteerID: $0.volunteerID, present: $0.present, hours: $0.hours) }
        let result = try await store.recordAttendance(sessionID: request.sessionID, rows: rows, actor: context.actor, requestID: context.requestID)
        guard let result else { throw RPCError(.notFound, "session_id: session \(request.sessionID) does not exist") }
        var answer = Pingan_Training_V1_AttendanceResult()
        answer.recorded = Int32(result.recorded)
        answer.completedVolunteerIds = result.completed
        return answer
    }

    func recordAssessment(_ request: Pingan_Training_V1_RecordAssessmentRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_CourseStatus {
        guard let day = CalendarDay(iso: request.assessedOn) else {
            throw RPCError(.invalidArgument, "assessed_on: '\(request.assessedOn.prefix(32))' is not a date (YYYY-MM-DD)")
        }
        let result = try await store.recordAssessment(
            courseID: request.courseID, volunteerID: request.volunteerID, passed: request.passed, on: day,
            actor: context.actor, requestID: context.requestID)
        guard let (course, record) = result else { throw RPCError(.notFound, "course_id: course \(request.courseID) does not exist") }
        return Self.message(course, record)
    }

    func qualifications(ids: [Int64], project: String, on text: String) async throws -> [Pingan_Training_V1_Qualification] {
        guard let day = CalendarDay(iso: text) else { throw RPCError(.invalidArgument, "on: '\(text.prefix(32))' is not a date (YYYY-MM-DD)") }
        guard !project.isEmpty else { throw RPCError(.invalidArgument, "project: must not be empty") }
        let courses = try await store.courses()
        let records = try await store.records(volunteerIDs: ids)
        return ids.map { id in
            let missing = QualificationRules.missing(courses, records: records[id] ?? [:], project: project, on: day)
            var answer = Pingan_Training_V1_Qualification()
            answer.volunteerID = id
            answer.qualified = missing.isEmpty
            answer.missing = missing.map { lack in
                var message = Pingan_Training_V1_MissingCourse()
                message.courseCode = lack.course.code
                message.reason = lack.reason.rawValue
                message.deadline = lack.course.deadline.description
                return message
            }
            return answer
        }
    }

    func volunteerTraining(_ request: Pingan_Training_V1_GetVolunteerTrainingRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_VolunteerTraining {
        // Training's own data only: this keeps working while the registry is down.
        if context.caller?.unitScope != nil, let unit = try await store.knownUnit(of: request.volunteerID), !Self.inScope(context, unit: unit) {
            await context.recordDenial("NOT_FOUND answered: volunteer \(request.volunteerID) is outside the caller's unit")
            throw RPCError(.notFound, "volunteer_id: volunteer \(request.volunteerID) is not known to training in your scope")
        }
        let records = try await store.records(volunteerIDs: [request.volunteerID])[request.volunteerID] ?? [:]
        var answer = Pingan_Training_V1_VolunteerTraining()
        answer.volunteerID = request.volunteerID
        answer.courses = try await store.courses().map { Self.message($0, records[$0.id] ?? CourseRecord()) }
        answer.upcomingSessions = try await store.sessions(ofVolunteer: request.volunteerID).map(Self.message)
        return answer
    }

    // MARK: Helpers

    static func inScope(_ context: ServerContext, unit: String) -> Bool {
        guard let scope = context.caller?.unitScope else { return true }
        return scope == unit
    }
}

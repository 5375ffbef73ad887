import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules
import PinganServiceKit
import PinganStore

/// The duty service's RPC methods: each translates the request to the domain, applies the
/// caller's role and unit scope, asks the registry and training where a rule needs them, calls
/// the store, and translates the answer back. Refusals by the rules reach the caller with their
/// status and every field.
public struct DutyService: RPCService {
    let store: DutyStore
    let calendar: CampaignCalendar
    let directory: any DutyDirectory
    let clock: DutyClock

    public init(store: DutyStore, calendar: CampaignCalendar, directory: any DutyDirectory, clock: DutyClock = .shanghai) {
        self.store = store
        self.calendar = calendar
        self.directory = directory
        self.clock = clock
    }

    public func register(with router: inout Router) {
        router.register(DutyMethods.listProjects) { (_: Pingan_Duty_V1_ListProjectsRequest, _) in
            var list = Pingan_Duty_V1_ProjectList()
            list.projects = ServiceProject.allCases.map { project in
                var message = Pingan_Duty_V1_Project()
                message.code = project.rawValue
                message.name = project.name
                return message
            }
            return list
        }
        router.register(DutyMethods.savePost) { (request: Pingan_Duty_V1_SavePostRequest, context) in try await savePost(request, context) }
        router.register(DutyMethods.retirePost) { (request: Pingan_Duty_V1_RetirePostRequest, context) in try await retirePost(request, context) }
        router.register(DutyMethods.listPosts) { (request: Pingan_Duty_V1_ListPostsRequest, context) in try await listPosts(request, context) }
        router.register(DutyMethods.assignShift) { (request: Pingan_Duty_V1_AssignShiftRequest, context) in try await assignShift(request, context) }
        router.register(DutyMethods.assignRota) { (request: Pingan_Duty_V1_AssignRotaRequest, context) in try await assignRota(request, context) }
        router.register(DutyMethods.cancelShift) { (request: Pingan_Duty_V1_CancelShiftRequest, context) in try await cancelShift(request, context) }
        router.register(DutyMethods.listShifts) { (request: Pingan_Duty_V1_ListShiftsRequest, context) in try await listShifts(request, context) }
        router.register(DutyMethods.recordActivity) { (request: Pingan_Duty_V1_RecordActivityRequest, context) in try await recordActivity(request, context) }
        router.register(DutyMethods.recordActivities) { (request: Pingan_Duty_V1_RecordActivitiesRequest, context) in try await recordActivities(request, context) }
        router.register(DutyMethods.getVolunteerDuty) { (request: Pingan_Duty_V1_GetVolunteerDutyRequest, context) in try await volunteerDuty(request, context) }
        router.register(DutyMethods.getCompliance) { (request: Pingan_Duty_V1_GetComplianceRequest, context) in try await compliance(request, context) }
        router.register(DutyMethods.reportHazard) { (request: Pingan_Duty_V1_ReportHazardRequest, context) in try await reportHazard(request, context) }
        router.register(DutyMethods.advanceHazard) { (request: Pingan_Duty_V1_AdvanceHazardRequest, context) in try await advanceHazard(request, context) }
        router.register(DutyMethods.listHazards) { (request: Pingan_Duty_V1_ListHazardsRequest, context) in try await listHazards(request, context) }
        router.register(DutyMethods.getCoverage) { (request: Pingan_Duty_V1_GetCoverageRequest, context) in try await coverage(request, context) }
        router.register(DutyMethods.checkIn) { (request: Pingan_Duty_V1_CheckInRequest, context) in try await checkIn(request, context) }
        router.register(DutyMethods.listRounds) { (request: Pingan_Duty_V1_ListRoundsRequest, context) in try await listRounds(request, context) }
        router.registerServerStreaming(DutyMethods.streamMonthService) {
            (request: Pingan_Duty_V1_StreamMonthServiceRequest, writer: ServerStreamWriter<Pingan_Duty_V1_VolunteerMonth>, context) in
            try await streamMonthService(request, writer, context)
        }
        router.register(DutyMethods.getCommendation) { (_: Pingan_Duty_V1_GetCommendationRequest, context) in try await commendation(context) }
        router.register(DutyMethods.openDispute) { (request: Pingan_Duty_V1_OpenDisputeRequest, context) in try await openDispute(request, context) }
        router.register(DutyMethods.advanceDispute) { (request: Pingan_Duty_V1_AdvanceDisputeRequest, context) in try await advanceDispute(request, context) }
        router.register(DutyMethods.listDisputes) { (request: Pingan_Duty_V1_ListDisputesRequest, context) in try await listDisputes(request, context) }
        router.register(DutyMethods.addKeyPerson) { (request: Pingan_Duty_V1_AddKeyPersonRequest, context) in try await addKeyPerson(request, context) }
        router.register(DutyMethods.listKeyPersons) { (request: Pingan_Duty_V1_ListKeyPersonsRequest, context) in try await listKeyPersons(request, context) }
        router.register(DutyMethods.recordAssistance) { (request: Pingan_Duty_V1_RecordAssistanceRequest, context) in try await recordAssistance(request, context) }
        router.register(DutyMethods.listAssistance) { (request: Pingan_Duty_V1_ListAssistanceRequest, context) in try await listAssistance(request, context) }
        router.registerServerStreaming(DutyMethods.watchMissedCheckpoints) {
            (request: Pingan_Duty_V1_WatchMissedCheckpointsRequest, writer: ServerStreamWriter<Pingan_Duty_V1_MissedCheckpoint>, context) in
            try await watchMissedCheckpoints(request, writer, context)
        }
    }

    // MARK: Posts

    func savePost(_ request: Pingan_Duty_V1_SavePostRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Post {
        let unit = try context.unitScope(asked: request.unitCode)
        let draft = PostDraft(code: request.code, project: request.project, unitCode: unit ?? "", place: request.place, duty: request.duty,
                              route: request.route.map { Checkpoint(name: $0.name, minutesFromStart: Int($0.minutesFromStart)) })
        let post = try await store.savePost(draft, actor: context.actor, requestID: context.requestID, idempotency: try IdempotencyKey(context, request))
        return Self.message(post)
    }

    func retirePost(_ request: Pingan_Duty_V1_RetirePostRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Post {
        guard let post = try await store.retirePost(code: request.code, reason: request.reason, scope: context.caller?.unitScope,
                                                    actor: context.actor, requestID: context.requestID) else {
            throw RPCError(.notFound, "code: post \(request.code.prefix(32)) does not exist in your scope")
        }
        return Self.message(post)
    }

    func listPosts(_ request: Pingan_Duty_V1_ListPostsRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_PostList {
        let project = try request.project.isEmpty ? nil : ServiceProject.parse(request.project, field: "project").mapError { Refusal("listing", $0) }.get()
        var list = Pingan_Duty_V1_PostList()
        list.posts = try await store.posts(unitCode: try context.unitScope(asked: request.unitCode), project: project,
                                           includeRetired: request.includeRetired).map(Self.message)
        return list
    }

    // MARK: Shifts

    /// Asks the registry and training first, outside any transaction, within the caller's
    /// deadline; the store then checks the post and overlaps in one transaction.
    func assignShift(_ request: Pingan_Duty_V1_AssignShiftRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Shift {
        let idempotency = try IdempotencyKey(context, request)
        let window = try ShiftRules.window(starts: request.starts, ends: request.ends).get()
        guard let post = try await store.posts(unitCode: context.caller?.unitScope, project: nil, includeRetired: true)
            .first(where: { $0.code == request.postCode }) else {
            throw Refusal("shift", BrokenRule(field: "postCode", rule: "UNKNOWN_POST", kind: .missing,
                                              message: "post \(request.postCode.prefix(32)) does not exist in your scope"))
        }
        let volunteer = try await registryVolunteer(request.volunteerID, context)
        var rules: [BrokenRule] = []
        if volunteer.status != "active" {
            rules.append(BrokenRule(field: "volunteerId", rule: "NOT_ACTIVE", kind: .state,
                                    message: "volunteer \(volunteer.id) is \(volunteer.status) in the registry; only active volunteers serve"))
        } else {
            let missing: [String]
            do {
                missing = try await directory.missingCourses(volunteer: volunteer.id, project: post.project, on: window.0.day,
                                                             deadline: context.deadline, requestID: context.requestID)
            } catch let error as RPCError {
                throw error.fromDownstream("training service", "volunteer \(volunteer.id)'s qualification cannot be checked")
            }
            if !missing.isEmpty {
                rules.append(BrokenRule(field: "volunteerId", rule: "NOT_QUALIFIED", kind: .state,
                                        message: "volunteer \(volunteer.id) is not qualified for \(post.project.rawValue) on \(window.0.day): lacks \(missing.joined(separator: ", "))"))
            }
        }
        guard rules.isEmpty else { throw Refusal("shift", rules) }
        let shift = try await store.assignShift(postCode: post.code, volunteer: volunteer, window: window, scope: context.caller?.unitScope,
                                                actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.message(shift)
    }

    func cancelShift(_ request: Pingan_Duty_V1_CancelShiftRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Shift {
        guard let shift = try await store.cancelShift(id: request.id, reason: request.reason, scope: context.caller?.unitScope,
                                                      actor: context.actor, requestID: context.requestID) else {
            throw RPCError(.notFound, "id: shift \(request.id) does not exist in your scope")
        }
        return Self.message(shift)
    }

    func listShifts(_ request: Pingan_Duty_V1_ListShiftsRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_ShiftList {
        guard (request.volunteerID != 0) != !request.postCode.isEmpty else {
            throw RPCError(.invalidArgument, "volunteer_id, post_code: give one of the two")
        }
        let from = try Self.day(request.from, field: "from", optional: true)
        let to = try Self.day(request.to, field: "to", optional: true)
        let scope = context.caller?.unitScope
        var list = Pingan_Duty_V1_ShiftList()
        list.shifts = try await store.shifts(volunteerID: request.volunteerID == 0 ? nil : request.volunteerID,
                                             postCode: request.postCode.isEmpty ? nil : request.postCode, from: from, to: to)
            .filter { scope == nil || $0.unitCode == scope }.map(Self.message)
        return list
    }

    // MARK: Helpers

    /// The registry's volunteer, in the caller's scope; a downstream failure says what it cost.
    func registryVolunteer(_ id: Int64, _ context: ServerContext) async throws -> DutyVolunteer {
        let volunteer: DutyVolunteer?
        do {
            volunteer = try await directory.volunteer(id, deadline: context.deadline, requestID: context.requestID)
        } catch let error as RPCError {
            throw error.fromDownstream("registry", "volunteer \(id) cannot be checked")
        }
        guard let volunteer, context.caller?.unitScope == nil || context.caller?.unitScope == volunteer.unitCode else {
            if volunteer != nil { await context.recordDenial("NOT_FOUND answered: volunteer \(id) is outside the caller's unit") }
            throw RPCError(.notFound, "volunteer_id: volunteer \(id) does not exist in your scope")
        }
        return volunteer
    }

    /// A "YYYY-MM-DD" field, or INVALID_ARGUMENT naming it.
    static func day(_ text: String, field: String, optional: Bool = false) throws -> CalendarDay? {
        if optional, text.isEmpty { return nil }
        guard let day = CalendarDay(iso: text) else { throw RPCError(.invalidArgument, "\(field): '\(text.prefix(32))' is not a date (YYYY-MM-DD)") }
        return day
    }
}

import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules
import PinganServiceKit
import PinganStore

extension DutyService {
    // MARK: Activities

    func recordActivity(_ request: Pingan_Duty_V1_RecordActivityRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Activity {
        let idempotency = try IdempotencyKey(context, request)
        let project = try ServiceProject.parse(request.project, field: "project").mapError { Refusal("activity", $0) }.get()
        guard let day = try Self.day(request.day, field: "day") else { throw RPCError(.invalidArgument, "day: required") }
        let volunteer = try await registryVolunteer(request.volunteerID, context)
        let activity = try await store.recordActivity(volunteer: volunteer, project: project, day: day, place: request.place, hours: request.hours,
                                                      note: request.note, actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.message(activity)
    }

    static func message(_ activity: ActivityRecord) -> Pingan_Duty_V1_Activity {
        var message = Pingan_Duty_V1_Activity()
        message.id = activity.id
        message.volunteerID = activity.volunteerID
        message.project = activity.project.rawValue
        message.day = activity.day.description
        message.place = activity.place
        message.hours = activity.hours
        message.unitCode = activity.unitCode
        return message
    }

    // MARK: Hazards

    func reportHazard(_ request: Pingan_Duty_V1_ReportHazardRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Hazard {
        let idempotency = try IdempotencyKey(context, request)
        guard let unit = try context.unitScope(asked: request.unitCode) else { throw RPCError(.invalidArgument, "unit_code: required") }
        let kind = try RPCError.choice(request.kind, field: "kind", as: HazardKind.self)
        guard let day = try Self.day(request.reportedOn, field: "reported_on") else { throw RPCError(.invalidArgument, "reported_on: required") }
        let hazard = try await store.reportHazard(kind: kind, unitCode: unit, place: request.place, description: request.description_p,
                                                  reportedBy: request.reportedBy == 0 ? nil : request.reportedBy, on: day,
                                                  actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.message(hazard, on: day)
    }

    func advanceHazard(_ request: Pingan_Duty_V1_AdvanceHazardRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Hazard {
        let step = HazardStep(to: request.to, department: request.department, dueOn: request.dueOn, on: request.on)
        guard let hazard = try await store.advanceHazard(id: request.id, step: step, note: request.note, scope: context.caller?.unitScope,
                                                         actor: context.actor, requestID: context.requestID) else {
            throw RPCError(.notFound, "id: hazard \(request.id) does not exist in your scope")
        }
        return Self.message(hazard, on: CalendarDay(iso: request.on) ?? hazard.reportedOn)
    }

    func listHazards(_ request: Pingan_Duty_V1_ListHazardsRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_HazardList {
        guard let day = try Self.day(request.on, field: "on") else { throw RPCError(.invalidArgument, "on: required") }
        let hazards = try await store.hazards(unitCode: try context.unitScope(asked: request.unitCode), includeVerified: request.includeVerified)
        let open = hazards.filter { $0.status.isOpen }
        var list = Pingan_Duty_V1_HazardList()
        list.hazards = hazards
            .filter { !request.overdueOnly || HazardWorkflow.isOverdue(status: $0.status, dueOn: $0.dueOn, on: day) }
            .map { Self.message($0, on: day) }
        list.byKind = Self.counts(open, on: day, by: \.kind.rawValue)
        list.byUnit = Self.counts(open, on: day, by: \.unitCode)
        return list
    }

    static func counts(_ hazards: [HazardRecord], on day: CalendarDay, by key: (HazardRecord) -> String) -> [Pingan_Duty_V1_HazardCount] {
        Dictionary(grouping: hazards, by: key).sorted { $0.key < $1.key }.map { key, group in
            var count = Pingan_Duty_V1_HazardCount()
            count.key = key
            count.open = Int32(group.count)
            count.overdue = Int32(group.filter { HazardWorkflow.isOverdue(status: $0.status, dueOn: $0.dueOn, on: day) }.count)
            return count
        }
    }
}

extension DutyService {
    /// A whole sheet: every row checked (the registry once per volunteer), every bad row
    /// listed, then all recorded in one transaction or none.
    func recordActivities(_ request: Pingan_Duty_V1_RecordActivitiesRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_ActivitiesResult {
        let idempotency = try IdempotencyKey(context, request)
        guard (1...ActivityRules.maximumRows).contains(request.rows.count) else {
            throw RPCError(.invalidArgument, "rows: a sheet has 1-\(ActivityRules.maximumRows) rows, got \(request.rows.count)")
        }
        var rules: [BrokenRule] = []
        var checked: [(Int64, ServiceProject, CalendarDay, Pingan_Duty_V1_RecordActivityRequest)] = []
        for (index, row) in request.rows.enumerated() {
            switch ActivityRules.row(project: row.project, day: row.day, place: row.place, hours: row.hours, note: row.note, prefix: "rows[\(index + 1)].") {
            case .success(let (project, day)): checked.append((row.volunteerID, project, day, row))
            case .failure(let refusal): rules += refusal.rules
            }
        }
        let volunteers = try await rotaVolunteers(Set(request.rows.map(\.volunteerID)), context)
        for (index, row) in request.rows.enumerated() where volunteers[row.volunteerID] == nil {
            rules.append(BrokenRule(field: "rows[\(index + 1)].volunteerId", rule: "UNKNOWN_VOLUNTEER", kind: .missing,
                                    message: "volunteer \(row.volunteerID) does not exist in your scope"))
        }
        guard rules.isEmpty else { throw Refusal("activity sheet", rules) }
        let rows = checked.map { id, project, day, row in
            DutyStore.SheetRow(volunteer: volunteers[id]!, project: project, day: day, place: row.place, hours: row.hours, note: row.note)
        }
        let recorded = try await store.recordActivities(rows, actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        var result = Pingan_Duty_V1_ActivitiesResult()
        result.recorded = Int32(recorded.count)
        result.firstID = recorded.first
        result.lastID = recorded.last
        return result
    }
}

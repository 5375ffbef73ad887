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
        var answer = Pingan_Duty_V1_Activity()
        answer.id = activity.id
        answer.volunteerID = activity.volunteerID
        answer.project = activity.project.rawValue
        answer.day = activity.day.description
        answer.place = activity.place
        answer.hours = activity.hours
        answer.unitCode = activity.unitCode
        return answer
    }

    // MARK: Hazards

    func reportHazard(_ request: Pingan_Duty_V1_ReportHazardRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Hazard {
        let idempotency = try IdempotencyKey(context, request)
        guard let unit = try context.unitScope(asked: request.unitCode) else { throw RPCError(.invalidArgument, "unit_code: required") }
        guard let kind = HazardKind(rawValue: request.kind) else {
            throw RPCError(.invalidArgument, "kind: '\(request.kind.prefix(32))' is not one of \(HazardKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
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

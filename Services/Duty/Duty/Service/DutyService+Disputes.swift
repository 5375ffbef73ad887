import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules
import PinganStore

extension DutyService {
    // MARK: Disputes

    func openDispute(_ request: Pingan_Duty_V1_OpenDisputeRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Dispute {
        let idempotency = try IdempotencyKey(context, request)
        guard let unit = try context.unitScope(asked: request.unitCode) else { throw RPCError(.invalidArgument, "unit_code: required") }
        let kind = try RPCError.choice(request.kind, field: "kind", as: DisputeKind.self)
        guard let day = try Self.day(request.openedOn, field: "opened_on") else { throw RPCError(.invalidArgument, "opened_on: required") }
        if request.mediatorVolunteerID != 0 {
            let mediator = try await registryVolunteer(request.mediatorVolunteerID, context)
            guard mediator.status == "active", mediator.unitCode == unit else {
                throw Refusal("dispute", BrokenRule(field: "mediatorVolunteerId", rule: "MEDIATOR", kind: .state,
                                                    message: "volunteer \(mediator.id) is \(mediator.status) in \(mediator.unitCode); the mediator is an active volunteer of \(unit)"))
            }
        }
        let dispute = try await store.openDispute(unitCode: unit, kind: kind, parties: request.parties, summary: request.summary, openedOn: day,
                                                  mediator: request.mediatorVolunteerID == 0 ? nil : request.mediatorVolunteerID,
                                                  actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.message(dispute)
    }

    func advanceDispute(_ request: Pingan_Duty_V1_AdvanceDisputeRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Dispute {
        let action = try RPCError.choice(request.action, field: "action", as: DisputeAction.self)
        guard let day = try Self.day(request.on, field: "on") else { throw RPCError(.invalidArgument, "on: required") }
        guard let dispute = try await store.advanceDispute(id: request.id, action: action, on: day, note: request.note, referredTo: request.referredTo,
                                                           scope: context.caller?.unitScope, actor: context.actor, requestID: context.requestID) else {
            throw RPCError(.notFound, "id: dispute \(request.id) does not exist in your scope")
        }
        return Self.message(dispute)
    }

    func listDisputes(_ request: Pingan_Duty_V1_ListDisputesRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_DisputeList {
        let cases = try await store.disputes(unitCode: try context.unitScope(asked: request.unitCode), includeClosed: request.includeClosed,
                                             actor: context.actor, requestID: context.requestID)
        var list = Pingan_Duty_V1_DisputeList()
        list.disputes = cases.map(Self.message)
        list.open = Int32(cases.count { $0.status == .open })
        list.mediating = Int32(cases.count { $0.status == .mediating })
        list.settled = Int32(cases.count { $0.status == .settled })
        list.referred = Int32(cases.count { $0.status == .referred })
        return list
    }

    static func message(_ dispute: DisputeRecord) -> Pingan_Duty_V1_Dispute {
        var message = Pingan_Duty_V1_Dispute()
        message.id = dispute.id
        message.unitCode = dispute.unitCode
        message.kind = dispute.kind.rawValue
        message.parties = dispute.parties
        message.summary = dispute.summary
        message.openedOn = dispute.openedOn.description
        message.status = dispute.status.rawValue
        message.mediatorVolunteerID = dispute.mediatorVolunteerID ?? 0
        message.referredTo = dispute.referredTo ?? ""
        message.closedOn = dispute.closedOn?.description ?? ""
        message.steps = dispute.steps.map { step in
            var message = Pingan_Duty_V1_DisputeStep()
            message.on = step.on.description
            message.action = step.action.rawValue
            message.note = step.note
            message.actor = step.actor
            return message
        }
        return message
    }
}

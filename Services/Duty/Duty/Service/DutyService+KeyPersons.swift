import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules
import PinganStore

extension DutyService {
    // MARK: Key persons

    func addKeyPerson(_ request: Pingan_Duty_V1_AddKeyPersonRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_KeyPerson {
        let idempotency = try IdempotencyKey(context, request)
        let unit = try context.unitScope(asked: request.unitCode) ?? ""
        let draft = KeyPersonDraft(unitCode: unit, category: request.category, name: request.name, situation: request.situation,
                                   helperVolunteerID: request.helperVolunteerID == 0 ? nil : request.helperVolunteerID)
        let category = try draft.validated().get()
        if let helper = draft.helperVolunteerID {
            let volunteer = try await registryVolunteer(helper, context)
            guard volunteer.status == "active", volunteer.unitCode == unit else {
                throw Refusal("key person", BrokenRule(field: "helperVolunteerId", rule: "HELPER", kind: .state,
                                                       message: "volunteer \(helper) is \(volunteer.status) in \(volunteer.unitCode); the helper is an active volunteer of \(unit)"))
            }
        }
        let person = try await store.addKeyPerson(draft, category: category, actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.message(person)
    }

    func listKeyPersons(_ request: Pingan_Duty_V1_ListKeyPersonsRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_KeyPersonList {
        var list = Pingan_Duty_V1_KeyPersonList()
        list.keyPersons = try await store.keyPersons(unitCode: try context.unitScope(asked: request.unitCode), actor: context.actor,
                                                     requestID: context.requestID).map(Self.message)
        return list
    }

    func recordAssistance(_ request: Pingan_Duty_V1_RecordAssistanceRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Assistance {
        let idempotency = try IdempotencyKey(context, request)
        let kind = try RPCError.choice(request.kind, field: "kind", as: AssistanceKind.self)
        guard let day = try Self.day(request.day, field: "day") else { throw RPCError(.invalidArgument, "day: required") }
        let volunteer = try await registryVolunteer(request.volunteerID, context)
        guard let record = try await store.recordAssistance(keyPersonID: request.keyPersonID, volunteerID: volunteer.id, day: day, kind: kind,
                                                            note: request.note, scope: context.caller?.unitScope, actor: context.actor,
                                                            requestID: context.requestID, idempotency: idempotency) else {
            throw RPCError(.notFound, "key_person_id: key person \(request.keyPersonID) does not exist in your scope")
        }
        return Self.message(record)
    }

    func listAssistance(_ request: Pingan_Duty_V1_ListAssistanceRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_AssistanceList {
        guard let records = try await store.assistance(keyPersonID: request.keyPersonID, scope: context.caller?.unitScope,
                                                       actor: context.actor, requestID: context.requestID) else {
            throw RPCError(.notFound, "key_person_id: key person \(request.keyPersonID) does not exist in your scope")
        }
        var list = Pingan_Duty_V1_AssistanceList()
        list.assistance = records.map(Self.message)
        return list
    }

    static func message(_ person: KeyPersonRecord) -> Pingan_Duty_V1_KeyPerson {
        var message = Pingan_Duty_V1_KeyPerson()
        message.id = person.id
        message.unitCode = person.unitCode
        message.category = person.category.rawValue
        message.name = person.name
        message.situation = person.situation
        message.helperVolunteerID = person.helperVolunteerID ?? 0
        message.assistanceCount = Int32(person.assistanceCount)
        message.lastAssistedOn = person.lastAssistedOn?.description ?? ""
        return message
    }

    static func message(_ record: AssistanceRecord) -> Pingan_Duty_V1_Assistance {
        var message = Pingan_Duty_V1_Assistance()
        message.id = record.id
        message.keyPersonID = record.keyPersonID
        message.volunteerID = record.volunteerID
        message.day = record.day.description
        message.kind = record.kind.rawValue
        message.note = record.note
        return message
    }
}

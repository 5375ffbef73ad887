import PinganCampaign
import PinganProtocolContracts
import PinganRegistryContracts
import PinganRPC
import PinganServiceKit
import PinganStore
import SwiftProtobuf

extension RegistryService {
    func submitApplication(_ request: Pingan_Registry_V1_SubmitApplicationRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_ApplicationStatus {
        let caller = context.caller
        if caller?.role == .clerk, caller?.unitScope != request.unitCode {
            throw RPCError(.permissionDenied, "a clerk of \(caller?.unitScope ?? "no unit") may not take applications for \(request.unitCode)")
        }
        if !request.ageWaiverReason.isEmpty, caller?.role != .admin {
            throw RPCError(.permissionDenied, "age_waiver_reason: only the town office may waive the age limits")
        }
        let applicant = try Self.applicant(request)
        guard let day = CalendarDay(iso: request.appliedOn) else {
            throw RPCError(.invalidArgument, "applied_on: '\(request.appliedOn.prefix(32))' is not a date (YYYY-MM-DD)")
        }
        let idempotency = try idempotency(context, request)
        let id = try await store.submitApplication(
            applicant, phone: request.phone, unitCode: request.unitCode, on: day, rules: campaign.eligibility,
            actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        return Self.status(id, .applied)
    }

    func decideApplication(_ request: Pingan_Registry_V1_DecideApplicationRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_ApplicationStatus {
        let reason = request.reason
        let decision: StatusDecision = switch request.decision {
        case "committee_accept": .committeeAccept
        case "committee_reject": .committeeReject(reason: reason)
        case "office_approve": .officeApprove
        case "office_reject": .officeReject(reason: reason)
        case "suspend": .suspend(reason: reason)
        case "reinstate": .reinstate
        case "withdraw": .withdraw(reason: reason)
        default: throw RPCError(.invalidArgument,
            "decision: '\(request.decision.prefix(32))' is not one of committee_accept, committee_reject, office_approve, office_reject, suspend, reinstate, withdraw")
        }
        let decider: Decider = context.caller?.role == .admin ? .office : .unitClerk
        let scope = context.caller?.role == .admin ? nil : context.caller?.unitScope
        var day: CalendarDay?
        if !request.decidedOn.isEmpty {
            guard let decided = CalendarDay(iso: request.decidedOn) else {
                throw RPCError(.invalidArgument, "decided_on: '\(request.decidedOn.prefix(32))' is not a date (YYYY-MM-DD)")
            }
            guard decided <= LocalTime.shanghaiNow().day else { throw RPCError(.invalidArgument, "decided_on: \(decided) is after today") }
            day = decided
        }
        guard let status = try await store.decide(decision, volunteerID: request.volunteerID, by: decider, scope: scope, on: day,
                                                  actor: context.actor, requestID: context.requestID,
                                                  idempotency: try idempotency(context, request)) else {
            throw RPCError(.notFound, "volunteer \(request.volunteerID) does not exist in your scope")
        }
        return Self.status(request.volunteerID, status)
    }

    /// The call's `idempotency-key`; requests carry personal data, so only a keyed hash of
    /// them is kept.
    func idempotency(_ context: ServerContext, _ request: some SwiftProtobuf.Message) throws -> IdempotencyKey? {
        let cipher = store.cipher
        return try IdempotencyKey(context, request) { bytes in
            cipher.keyedHash(bytes.map { String($0, radix: 16) }.joined(separator: "."), field: "idempotency")
        }
    }

    static func applicant(_ request: Pingan_Registry_V1_SubmitApplicationRequest) throws -> Applicant {
        guard let birth = CalendarDay(iso: request.birthDate) else {
            throw RPCError(.invalidArgument, "birth_date: '\(request.birthDate.prefix(32))' is not a date (YYYY-MM-DD)")
        }
        func since() throws -> CalendarDay {
            guard let day = CalendarDay(iso: request.residentSince) else {
                throw RPCError(.invalidArgument, "resident_since: '\(request.residentSince.prefix(32))' is not a date (YYYY-MM-DD); it is required for \(request.residency)")
            }
            return day
        }
        let residency: Applicant.Residency = switch request.residency {
        case "shanghai_household": .shanghaiHousehold
        case "other_province": .otherProvince(since: try since())
        case "foreign": .foreign(since: try since())
        default: throw RPCError(.invalidArgument, "residency: '\(request.residency.prefix(32))' is not one of shanghai_household, other_province, foreign")
        }
        let identity: Applicant.Identity = request.idNumber.isEmpty
            ? .passport(number: request.passportNumber, country: request.passportCountry)
            : .residentID(request.idNumber)
        guard !request.name.allSatisfy(\.isWhitespace) else { throw RPCError(.invalidArgument, "name: must not be empty") }
        return Applicant(
            name: request.name, identity: identity, birthDate: birth, residency: residency, hasStableJob: request.hasStableJob_p,
            hasFixedResidence: request.hasFixedResidence_p, declaresGoodHealth: request.declaresGoodHealth,
            willingToServe: request.willingToServe, hasTimeToServe: request.hasTimeToServe_p,
            ageWaiver: request.ageWaiverReason.isEmpty ? nil : .init(reason: request.ageWaiverReason))
    }

    static func status(_ id: Int64, _ status: VolunteerStatus) -> Pingan_Registry_V1_ApplicationStatus {
        var answer = Pingan_Registry_V1_ApplicationStatus()
        answer.volunteerID = id
        answer.status = status.rawValue
        return answer
    }
}

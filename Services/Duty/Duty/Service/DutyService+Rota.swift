import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules
import PinganServiceKit
import PinganStore

extension DutyService {
    // MARK: Rota

    /// Expands the rota, asks the registry once per volunteer and training once per day for
    /// every volunteer of that day; the store adds clashes with shifts on record and either
    /// refuses listing every refused shift or writes all of them.
    func assignRota(_ request: Pingan_Duty_V1_AssignRotaRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_RotaResult {
        let idempotency = try IdempotencyKey(context, request)
        guard let from = try Self.day(request.from, field: "from"), let to = try Self.day(request.to, field: "to") else {
            throw RPCError(.invalidArgument, "from, to: required")
        }
        let slots = request.slots.map { Rota.Slot(volunteerID: $0.volunteerID, weekday: Int($0.weekday), starts: $0.starts, ends: $0.ends) }
        let planned = try Rota.expand(slots, from: from, to: to).get()
        guard let post = try await store.posts(unitCode: context.caller?.unitScope, project: nil, includeRetired: true)
            .first(where: { $0.code == request.postCode }) else {
            throw Refusal("rota", BrokenRule(field: "postCode", rule: "UNKNOWN_POST", kind: .missing,
                                             message: "post \(request.postCode.prefix(32)) does not exist in your scope"))
        }

        let volunteers = try await rotaVolunteers(Set(planned.map(\.volunteerID)), context)
        var rules: [BrokenRule] = []
        var refusedVolunteers: Set<Int64> = []
        for (index, slot) in slots.enumerated() {
            let field = "slots[\(index)].volunteerId"
            switch volunteers[slot.volunteerID] {
            case nil:
                rules.append(BrokenRule(field: field, rule: "UNKNOWN_VOLUNTEER", kind: .missing, message: "volunteer \(slot.volunteerID) does not exist in your scope"))
            case let volunteer? where volunteer.status != "active":
                rules.append(BrokenRule(field: field, rule: "NOT_ACTIVE", kind: .state,
                                        message: "volunteer \(volunteer.id) is \(volunteer.status) in the registry; only active volunteers serve"))
            default:
                continue
            }
            refusedVolunteers.insert(slot.volunteerID)
        }
        // Training, one call per day for that day's volunteers; a refused volunteer's days are
        // not asked again.
        let byDay = Dictionary(grouping: planned.filter { !refusedVolunteers.contains($0.volunteerID) }, by: \.starts.day)
        for day in byDay.keys.sorted() {
            let shifts = byDay[day]!
            let missing: [Int64: [String]]
            do {
                missing = try await directory.missingCourses(volunteers: Array(Set(shifts.map(\.volunteerID))).sorted(), project: post.project, on: day,
                                                             deadline: context.deadline, requestID: context.requestID)
            } catch let error as RPCError {
                throw error.fromDownstream("training service", "the rota's qualifications on \(day) cannot be checked")
            }
            for shift in shifts {
                guard let courses = missing[shift.volunteerID] else { continue }
                rules.append(BrokenRule(field: "slots[\(shift.slot)]", rule: "NOT_QUALIFIED", kind: .state,
                                        message: "\(shift.starts): volunteer \(shift.volunteerID) is not qualified for \(post.project.rawValue): lacks \(courses.joined(separator: ", "))"))
            }
        }
        let assigned = try await store.assignRota(postCode: post.code, shifts: planned, volunteers: volunteers, refused: rules, scope: context.caller?.unitScope,
                                                  actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        var result = Pingan_Duty_V1_RotaResult()
        result.postCode = post.code
        result.assigned = Int32(assigned.count)
        result.firstShiftID = assigned.first
        result.lastShiftID = assigned.last
        return result
    }

    /// How many registry look-ups a rota keeps in flight.
    static let registryLookups = 8

    /// The volunteers of a rota or a sheet as the registry has them, a few look-ups in flight;
    /// those outside the caller's scope are left out (reported as unknown, the denial on record).
    func rotaVolunteers(_ ids: Set<Int64>, _ context: ServerContext) async throws -> [Int64: DutyVolunteer] {
        let scope = context.caller?.unitScope
        var found: [Int64: DutyVolunteer] = [:]
        var pending = ids.sorted().makeIterator()
        do {
            try await withThrowingTaskGroup(of: DutyVolunteer?.self) { group in
                func next() -> Bool {
                    guard let id = pending.next() else { return false }
                    group.addTask { try await directory.volunteer(id, deadline: context.deadline, requestID: context.requestID) }
                    return true
                }
                for _ in 0..<Self.registryLookups where !next() { break }
                while let answer = try await group.next() {
                    if let volunteer = answer {
                        if scope == nil || volunteer.unitCode == scope {
                            found[volunteer.id] = volunteer
                        } else {
                            await context.recordDenial("NOT_FOUND answered: volunteer \(volunteer.id) is outside the caller's unit")
                        }
                    }
                    _ = next()
                }
            }
        } catch let error as RPCError {
            throw error.fromDownstream("registry", "the rota's volunteers cannot be checked")
        }
        return found
    }
}

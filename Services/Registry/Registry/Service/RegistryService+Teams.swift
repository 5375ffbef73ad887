import PinganRegistryContracts
import PinganRPC
import PinganStore

extension RegistryService {
    func saveTeam(_ request: Pingan_Registry_V1_SaveTeamRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_Team {
        let idempotency = try idempotency(context, request)
        return Self.message(try await store.saveTeam(
            id: request.id == 0 ? nil : request.id, unitCode: request.unitCode, name: request.name,
            leaderID: request.leaderVolunteerID == 0 ? nil : request.leaderVolunteerID, scope: Self.clerkScope(context),
            actor: context.actor, requestID: context.requestID, idempotency: idempotency))
    }

    func listTeams(_ request: Pingan_Registry_V1_ListTeamsRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_TeamList {
        var list = Pingan_Registry_V1_TeamList()
        list.teams = try await store.teams(unitCode: try context.unitScope(asked: request.unitCode)).map(Self.message)
        return list
    }

    func transferVolunteer(_ request: Pingan_Registry_V1_TransferVolunteerRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_Volunteer {
        let idempotency = try idempotency(context, request)
        let record = try await store.transfer(
            volunteerID: request.volunteerID, toTeam: request.toTeamID, reason: request.reason, scope: Self.clerkScope(context),
            actor: context.actor, requestID: context.requestID, idempotency: idempotency)
        guard let record else { throw RPCError(.notFound, "volunteer_id: volunteer \(request.volunteerID) does not exist in your scope") }
        return Self.message(record)
    }

    func assignStaffRole(_ request: Pingan_Registry_V1_AssignStaffRoleRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_StaffAssignment {
        let role = try RPCError.choice(request.role, field: "role", as: StaffRole.self)
        let idempotency = try idempotency(context, request)
        return Self.message(try await store.assignStaffRole(
            unitCode: request.unitCode, personName: request.personName, role: role, actor: context.actor,
            requestID: context.requestID, idempotency: idempotency))
    }

    func endStaffRole(_ request: Pingan_Registry_V1_EndStaffRoleRequest, _ context: ServerContext) async throws -> Pingan_Registry_V1_StaffAssignment {
        let ended = try await store.endStaffRole(id: request.id, reason: request.reason, actor: context.actor, requestID: context.requestID)
        guard let ended else { throw RPCError(.notFound, "id: staff assignment \(request.id) does not exist") }
        return Self.message(ended)
    }

    func listStaff(_ request: Pingan_Registry_V1_ListStaffRequest) async throws -> Pingan_Registry_V1_StaffList {
        var list = Pingan_Registry_V1_StaffList()
        list.staff = try await store.staff(unitCode: request.unitCode.isEmpty ? nil : request.unitCode).map(Self.message)
        return list
    }

    /// A clerk's unit; nil for roles that act town-wide.
    static func clerkScope(_ context: ServerContext) -> String? {
        context.caller?.role == .admin ? nil : context.caller?.unitScope
    }

    static func message(_ team: Team) -> Pingan_Registry_V1_Team {
        var message = Pingan_Registry_V1_Team()
        message.id = team.id
        message.unitCode = team.unitCode
        message.name = team.name
        message.leaderVolunteerID = team.leaderID ?? 0
        message.leaderName = team.leaderName ?? ""
        message.members = Int32(team.members)
        return message
    }

    static func message(_ assignment: StaffAssignment) -> Pingan_Registry_V1_StaffAssignment {
        var message = Pingan_Registry_V1_StaffAssignment()
        message.id = assignment.id
        message.unitCode = assignment.unitCode
        message.personName = assignment.personName
        message.role = assignment.role.rawValue
        message.assignedAt = assignment.assignedAt
        message.endedAt = assignment.endedAt ?? ""
        message.endReason = assignment.endReason ?? ""
        return message
    }
}

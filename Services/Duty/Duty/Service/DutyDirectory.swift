import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts

/// What duty asks the registry and training. A protocol so the rules can be tested without them.
public protocol DutyDirectory: Sendable {
    /// The volunteer, or nil if the registry has none. Throws UNAVAILABLE or DEADLINE_EXCEEDED
    /// when the registry cannot answer within `deadline`.
    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> DutyVolunteer?
    /// Every active volunteer, of one unit or all.
    func activeVolunteers(unitCode: String?, deadline: ContinuousClock.Instant?, requestID: String) async throws -> [DutyVolunteer]
    /// The residential and village committees.
    func committees(deadline: ContinuousClock.Instant?, requestID: String) async throws -> [Coverage.Committee]
    /// The courses the volunteer lacks for `project` on `day` (empty: qualified), as training says.
    func missingCourses(volunteer: Int64, project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [String]
    /// The same for up to 10,000 volunteers in one call: those who lack courses, with them.
    func missingCourses(volunteers: [Int64], project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [Int64: [String]]
}

extension DutyDirectory {
    /// Which of `ids` the registry calls active, asking about each (16 at a time).
    public func activeAmong(_ ids: [Int64], deadline: ContinuousClock.Instant?, requestID: String) async throws -> Set<Int64> {
        try await withThrowingTaskGroup(of: Int64?.self) { group in
            var active: Set<Int64> = []
            for (index, id) in ids.enumerated() {
                if index >= 16, let answered = try await group.next(), let id = answered { active.insert(id) }
                group.addTask {
                    try await volunteer(id, deadline: deadline, requestID: requestID)?.status == "active" ? id : nil
                }
            }
            for try await case let id? in group { active.insert(id) }
            return active
        }
    }
}

/// The registry and training through their typed clients, called with duty's own certificate.
public struct PeerDirectory: DutyDirectory {
    let registry: RegistryClient
    let training: TrainingClient

    public init(registry: RegistryClient, training: TrainingClient) {
        self.registry = registry
        self.training = training
    }

    public func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> DutyVolunteer? {
        var request = Pingan_Registry_V1_GetVolunteerRequest()
        request.id = id
        do {
            let volunteer = try await registry.getVolunteer(request, options: Self.options(deadline, requestID))
            return DutyVolunteer(id: volunteer.id, name: volunteer.name, unitCode: volunteer.unitCode, status: volunteer.status)
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }

    public func activeVolunteers(unitCode: String?, deadline: ContinuousClock.Instant?, requestID: String) async throws -> [DutyVolunteer] {
        var request = Pingan_Registry_V1_ExportVolunteersRequest()
        request.unitCode = unitCode ?? ""
        var active: [DutyVolunteer] = []
        for try await volunteer in try await registry.exportVolunteers(request, options: Self.options(deadline, requestID)) where volunteer.status == "active" {
            active.append(DutyVolunteer(id: volunteer.id, name: volunteer.name, unitCode: volunteer.unitCode, status: volunteer.status,
                                        teamID: volunteer.teamID == 0 ? nil : volunteer.teamID, teamName: volunteer.teamName.isEmpty ? nil : volunteer.teamName))
        }
        return active
    }

    public func committees(deadline: ContinuousClock.Instant?, requestID: String) async throws -> [Coverage.Committee] {
        let progress = try await registry.getProgress(Pingan_Registry_V1_GetProgressRequest(), options: Self.options(deadline, requestID))
        return progress.units.filter { $0.kind == "residential_committee" || $0.kind == "village_committee" }
            .map { Coverage.Committee(code: $0.code, name: $0.name, kind: $0.kind) }
    }

    public func missingCourses(volunteer: Int64, project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                               requestID: String) async throws -> [String] {
        var request = Pingan_Training_V1_CheckQualificationRequest()
        request.volunteerID = volunteer
        request.project = project.rawValue
        request.on = day.description
        return try await training.checkQualification(request, options: Self.options(deadline, requestID)).missing.map(\.courseCode)
    }

    public func missingCourses(volunteers: [Int64], project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                               requestID: String) async throws -> [Int64: [String]] {
        var request = Pingan_Training_V1_CheckQualificationsRequest()
        request.volunteerIds = volunteers
        request.project = project.rawValue
        request.on = day.description
        let answers = try await training.checkQualifications(request, options: Self.options(deadline, requestID)).qualifications
        return Dictionary(answers.filter { !$0.qualified }.map { ($0.volunteerID, $0.missing.map(\.courseCode)) }) { first, _ in first }
    }

    static func options(_ deadline: ContinuousClock.Instant?, _ requestID: String) -> CallOptions {
        var metadata = Metadata()
        metadata.requestID = requestID
        // Without a caller's deadline, a peer gets 5 seconds, never forever.
        return CallOptions(deadline: deadline ?? .now + .seconds(5), metadata: metadata)
    }
}

import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts
import PinganVolunteerReplica

/// What duty asks the registry and training. A protocol so the rules can be tested without them.
public protocol DutyDirectory: Sendable {
    /// The volunteer, or nil if the registry has none. Throws UNAVAILABLE or DEADLINE_EXCEEDED
    /// when the registry cannot answer within `deadline`.
    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> DutyVolunteer?
    /// Brings duty's copy of the registry's volunteers (what reports count) up to every change
    /// the registry had committed when asked. Throws as `volunteer` does.
    func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws
    /// The residential and village committees.
    func committees(deadline: ContinuousClock.Instant?, requestID: String) async throws -> [Coverage.Committee]
    /// The courses the volunteer lacks for `project` on `day` (empty: qualified), as training says.
    func missingCourses(volunteer: Int64, project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [String]
    /// The same for up to 10,000 volunteers in one call: those who lack courses, with them.
    func missingCourses(volunteers: [Int64], project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [Int64: [String]]
}

/// The registry and training through their typed clients, called with duty's own certificate,
/// and the copy of the registry's volunteers that `follower` keeps.
public struct PeerDirectory: DutyDirectory {
    let registry: RegistryClient
    let training: TrainingClient
    let follower: ReplicaFollower

    public init(registry: RegistryClient, training: TrainingClient, follower: ReplicaFollower) {
        self.registry = registry
        self.training = training
        self.follower = follower
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

    public func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws {
        try await follower.catchUp(deadline: deadline, requestID: requestID)
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

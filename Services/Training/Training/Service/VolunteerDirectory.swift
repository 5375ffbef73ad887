import PinganRegistryContracts
import PinganRPC
import PinganVolunteerReplica

/// What training asks the registry. A protocol so that the rules can be tested without one.
public protocol VolunteerDirectory: Sendable {
    /// The volunteer, or nil if the registry has no such volunteer. Throws UNAVAILABLE (or
    /// DEADLINE_EXCEEDED) when the registry cannot answer within `deadline`.
    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> VolunteerSnapshot?

    /// Brings training's copy of the registry's volunteers (what reports count) up to every
    /// change the registry had committed when asked. Throws as `volunteer` does.
    func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws
}

/// The registry through its typed client (over the network, training's own service
/// certificate), and the copy of its volunteers that `follower` keeps.
public struct RegistryDirectory: VolunteerDirectory {
    let registry: RegistryClient
    let follower: ReplicaFollower

    public init(_ registry: RegistryClient, follower: ReplicaFollower) {
        self.registry = registry
        self.follower = follower
    }

    public func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> VolunteerSnapshot? {
        var request = Pingan_Registry_V1_GetVolunteerRequest()
        request.id = id
        do {
            return Self.snapshot(try await registry.getVolunteer(request, options: Self.options(deadline, requestID)))
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }

    public func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws {
        try await follower.catchUp(deadline: deadline, requestID: requestID)
    }

    static func options(_ deadline: ContinuousClock.Instant?, _ requestID: String) -> CallOptions {
        var metadata = Metadata()
        metadata.requestID = requestID
        // Without a caller's deadline, the registry gets 5 seconds, never forever.
        return CallOptions(deadline: deadline ?? .now + .seconds(5), metadata: metadata)
    }

    static func snapshot(_ volunteer: Pingan_Registry_V1_Volunteer) -> VolunteerSnapshot {
        VolunteerSnapshot(id: volunteer.id, name: volunteer.name, unitCode: volunteer.unitCode, category: Int(volunteer.category), status: volunteer.status)
    }
}

import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport

/// What training asks the registry. A protocol so that the rules can be tested without one.
public protocol VolunteerDirectory: Sendable {
    /// The volunteer, or nil if the registry has no such volunteer. Throws UNAVAILABLE (or
    /// DEADLINE_EXCEEDED) when the registry cannot answer within `deadline`.
    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> VolunteerSnapshot?

    /// Every active volunteer, of one unit or all.
    func activeVolunteers(unitCode: String?, deadline: ContinuousClock.Instant?, requestID: String) async throws -> [VolunteerSnapshot]
}

/// The registry over the Pingan protocol, called with training's own service certificate.
public struct RegistryDirectory: VolunteerDirectory {
    let client: RPCClient

    public init(client: RPCClient) {
        self.client = client
    }

    public func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> VolunteerSnapshot? {
        var request = Pingan_Registry_V1_GetVolunteerRequest()
        request.id = id
        do {
            let volunteer: Pingan_Registry_V1_Volunteer = try await client.unary(RegistryMethods.getVolunteer, request, options: Self.options(deadline, requestID))
            return Self.snapshot(volunteer)
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }

    public func activeVolunteers(unitCode: String?, deadline: ContinuousClock.Instant?, requestID: String) async throws -> [VolunteerSnapshot] {
        var request = Pingan_Registry_V1_ExportVolunteersRequest()
        request.unitCode = unitCode ?? ""
        let connection = try await client.connection(before: deadline)
        let stream: ResponseStream<Pingan_Registry_V1_Volunteer> = try await connection.serverStreaming(
            RegistryMethods.exportVolunteers, request, options: Self.options(deadline, requestID))
        var active: [VolunteerSnapshot] = []
        for try await volunteer in stream where volunteer.status == "active" {
            active.append(Self.snapshot(volunteer))
        }
        return active
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

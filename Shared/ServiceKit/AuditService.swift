import Logging
import PinganProtocolContracts
import PinganRPC
import PinganStore

/// `/pingan.audit.v1.Audit/ListEntries`: the service's audit log for admins and auditors,
/// refused attempts included. The host serves it for every service with a store.
public struct AuditService: RPCService {
    public static let listEntries = MethodDescriptor(
        service: "pingan.audit.v1.Audit", method: "ListEntries", isIdempotent: true, access: .only(.admin, .auditor))
    public static let maximumPageSize = 1000

    let trail: AuditTrail

    public init(trail: AuditTrail) {
        self.trail = trail
    }

    public func register(with router: inout Router) {
        router.register(Self.listEntries) { (request: Pingan_Audit_V1_ListEntriesRequest, _) in
            let size = request.pageSize == 0 ? 100 : Int(request.pageSize)
            guard (1...Self.maximumPageSize).contains(size) else {
                throw RPCError(.invalidArgument, "page_size: must be 1-\(Self.maximumPageSize) (0 means 100), got \(request.pageSize)")
            }
            guard request.afterSequence >= 0 else { throw RPCError(.invalidArgument, "after_sequence: must not be negative") }
            let entries = try await trail.entries(after: request.afterSequence, limit: size + 1, deniedOnly: request.deniedOnly)
            var page = Pingan_Audit_V1_EntryPage()
            page.entries = entries.prefix(size).map { entry in
                var message = Pingan_Audit_V1_Entry()
                message.sequence = entry.sequence
                message.at = entry.at
                message.actor = entry.actor
                message.action = entry.action
                message.target = entry.target
                message.requestID = entry.requestID
                return message
            }
            page.nextAfterSequence = entries.count > size ? page.entries.last?.sequence ?? 0 : 0
            return page
        }
    }
}

/// Refused calls, kept in the audit log: `denied <method>`, with the reason as the target.
public struct AuditedDenials: DenialRecorder {
    let trail: AuditTrail
    let logger: Logger

    public init(trail: AuditTrail, logger: Logger) {
        self.trail = trail
        self.logger = logger
    }

    public func record(_ denial: Denial) async {
        do {
            try await trail.append(actor: denial.actor, action: "denied \(denial.method)", target: denial.reason, requestID: denial.requestID)
        } catch {
            logger.error("a refused call could not be written to the audit log", metadata: [
                "rpc.method": "\(denial.method)", "error": "\(error)",
            ])
        }
    }
}

import Logging
import PinganRPC
import PinganStore

/// Refuses every call but Health, Reflection and Audit once the service's database is known to
/// be damaged, and learns of damage from the errors handlers fail with. A damaged file is not
/// written to again, and nothing read from it is served, until it is restored.
public struct DamageGate: CallGate {
    let health: DatabaseHealth
    let logger: Logger

    /// What still answers on a damaged database: liveness, the method list and the audit log.
    static let exempt: Set<String> = [HealthService.check.service, ReflectionService.listMethods.service, AuditService.listEntries.service]

    /// The `StatusDetails.reason` of calls refused for a damaged database.
    public static let reason = "DATABASE_DAMAGED"

    public init(health: DatabaseHealth, logger: Logger) {
        self.health = health
        self.logger = logger
    }

    public func refusal(for method: MethodDescriptor) -> RPCError? {
        guard let report = health.damageReport, !Self.exempt.contains(method.service) else { return nil }
        return RPCError(.unavailable, "the service's database is damaged, so it refuses calls until the database is restored from a backup",
                        details: ErrorDetails(reason: Self.reason), cause: DamageReport(text: report))
    }

    public func handlerFailed(_ error: any Error) {
        guard DatabaseHealth.isCorruption(error) else { return }
        if health.damageReport == nil {
            logger.critical("the database reports corruption: calls are refused and Health says NOT_SERVING until it is restored",
                            metadata: ["error": "\(error)"])
        }
        health.markDamaged("\(error)")
    }

    /// What SQLite said, kept for the log (never sent: it names the file's internals).
    struct DamageReport: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}

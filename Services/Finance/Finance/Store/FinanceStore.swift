import GRDB
import PinganFinanceContracts
import PinganStore

/// The finance service's SQLite database. It owns its file: nothing else opens it.
public struct FinanceStore: Sendable {
    let writer: any DatabaseWriter
    /// Whether the file can be trusted; shared by every copy of the store.
    public let health: DatabaseHealth

    public init(writer: any DatabaseWriter) throws {
        try ServiceDatabase.migrate(writer, with: FinanceMigrations.migrator, service: "finance service")
        self.writer = writer
        self.health = DatabaseHealth(writer)
    }

    public static func open(path: String) throws -> FinanceStore {
        // Money: an acknowledged posting is kept through a power loss.
        try FinanceStore(writer: ServiceDatabase.open(path: path, durability: .powerLoss))
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> FinanceStore {
        try FinanceStore(writer: DatabaseQueue())
    }

    /// Every audit entry, oldest first.
    public func auditLog() async throws -> [AuditEntry] {
        try await writer.read(AuditLog.entries)
    }

    /// The audit log, for the host's record of refused calls and the Audit RPC.
    public var auditTrail: AuditTrail { AuditTrail(writer) }

    /// What the host works with: the audit log and the database's health.
    public var handle: StoreHandle { StoreHandle(writer, health: health) }
}

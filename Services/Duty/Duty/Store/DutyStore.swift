import GRDB
import PinganPersonalData
import PinganStore

/// The duty service's SQLite database. It owns its file: nothing else opens it.
public struct DutyStore: Sendable {
    let writer: any DatabaseWriter
    /// Whether the file can be trusted; shared by every copy of the store.
    public let health: DatabaseHealth
    /// Seals key persons' personal data; nil when the service runs without a data key, and
    /// then key persons are not served.
    let cipher: PersonalDataCipher?

    /// - Throws: `StoreError` when `cipher` is not the key the data was sealed with.
    public init(writer: any DatabaseWriter, cipher: PersonalDataCipher? = nil) throws {
        try ServiceDatabase.migrate(writer, with: DutyMigrations.migrator, service: "duty service")
        self.writer = writer
        self.health = DatabaseHealth(writer)
        self.cipher = cipher
        if let cipher { try Self.verifyDataKey(writer, cipher) }
    }

    public static func open(path: String, cipher: PersonalDataCipher? = nil) throws -> DutyStore {
        // Activity records become allowances: money, kept through a power loss.
        try DutyStore(writer: ServiceDatabase.open(path: path, durability: .powerLoss), cipher: cipher)
    }

    /// An in-memory database, for tests.
    public static func inMemory(cipher: PersonalDataCipher? = nil) throws -> DutyStore {
        try DutyStore(writer: DatabaseQueue(), cipher: cipher)
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

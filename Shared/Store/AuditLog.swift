import GRDB

/// The append-only audit log every service keeps: who, when, what, request id. Each service
/// creates the `audit_log` table and its append-only triggers in its own first migration
/// (literal SQL, see `Services/_Template`), so a shipped migration never changes under it.
public enum AuditLog {
    /// Appends one entry inside the caller's transaction, so it stands or falls with the change.
    public static func append(_ db: Database, actor: String, action: String, target: String, requestID: String) throws {
        try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, request_id) VALUES (?, ?, ?, ?, ?)",
                       arguments: [ServiceDatabase.timestamp(), actor, action, target, requestID])
    }

    /// Every entry, oldest first.
    public static func entries(_ db: Database) throws -> [AuditEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq").map {
            AuditEntry(sequence: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], requestID: $0["request_id"])
        }
    }
}

/// One line of the append-only audit log.
public struct AuditEntry: Sendable, Hashable {
    public var sequence: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var target: String
    public var requestID: String
}

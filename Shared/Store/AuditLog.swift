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

/// A service's audit log, for the parts of the service that are not its store: the host's
/// record of refused calls and the Audit RPC that auditors read it with.
public struct AuditTrail: Sendable {
    private let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// The longest target kept; a reason a caller's input made longer is cut.
    public static let maximumTargetLength = 500

    /// Appends one entry in a transaction of its own.
    public func append(actor: String, action: String, target: String, requestID: String) async throws {
        try await writer.write { db in
            try AuditLog.append(db, actor: String(actor.prefix(200)), action: String(action.prefix(200)),
                                target: String(target.prefix(Self.maximumTargetLength)), requestID: String(requestID.prefix(128)))
        }
    }

    /// Up to `limit` entries after `sequence`, oldest first; only refusals if `deniedOnly`.
    public func entries(after sequence: Int64, limit: Int, deniedOnly: Bool) async throws -> [AuditEntry] {
        try await writer.read { db in
            let filter = deniedOnly ? "AND action LIKE 'denied %'" : ""
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE seq > ? \(filter) ORDER BY seq LIMIT ?", arguments: [sequence, limit]).map {
                AuditEntry(sequence: $0["seq"], at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], requestID: $0["request_id"])
            }
        }
    }
}

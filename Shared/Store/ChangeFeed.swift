import Foundation
import GRDB

/// One change as the feed keeps it.
public struct ChangeEvent: Sendable, Hashable {
    public var sequence: Int64
    public var at: String
    public var actor: String
    public var kind: String
    public var entityID: String
    public var action: String
    public var unitCode: String?
    public var stateType: String
    public var state: Data
}

/// The change feed's table, written in the transaction of the change it records, so an event
/// exists if and only if its change committed. Each service's migrations create the tables
/// (`change_feed`, `change_feed_pruned`) as literal SQL of their own: a shipped migration never
/// changes, so none shares a constant.
public enum ChangeFeed {
    /// Records a change in the caller's transaction.
    public static func record(_ db: Database, kind: String, entityID: String, action: String, unitCode: String?, actor: String,
                              stateType: String, state: Data) throws {
        try db.cachedStatement(sql: """
            INSERT INTO change_feed (at, actor, kind, entity_id, action, unit_code, state_type, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [ServiceDatabase.timestamp(), actor, kind, entityID, action, unitCode, stateType, state])
    }

    /// A change as `record(_:_:)` takes it.
    public struct Change: Sendable {
        public var kind: String
        public var entityID: String
        public var action: String
        public var unitCode: String?
        public var actor: String
        public var stateType: String
        public var state: Data

        public init(kind: String, entityID: String, action: String, unitCode: String?, actor: String, stateType: String, state: Data) {
            self.kind = kind
            self.entityID = entityID
            self.action = action
            self.unitCode = unitCode
            self.actor = actor
            self.stateType = stateType
            self.state = state
        }
    }

    /// Records changes in the caller's transaction, in their order, up to 500 an INSERT (a bulk
    /// import records one per row: a statement each cost more than SQLite's work for it).
    public static func record(_ db: Database, _ changes: [Change]) throws {
        let at = ServiceDatabase.timestamp()
        for start in stride(from: 0, to: changes.count, by: 500) {
            let chunk = changes[start..<min(start + 500, changes.count)]
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            var arguments = StatementArguments()
            for change in chunk {
                arguments += [at, change.actor, change.kind, change.entityID, change.action, change.unitCode, change.stateType, change.state]
            }
            try db.statement(sql: "INSERT INTO change_feed (at, actor, kind, entity_id, action, unit_code, state_type, state) VALUES \(values)",
                             cachedWhen: chunk.count == 500).execute(arguments: arguments)
        }
    }
}

/// Reading the feed and keeping it to its retention, for the Watch method and the host.
public struct ChangeFeedReader: Sendable {
    private let writer: any DatabaseWriter

    /// The feed of the database, or nil for a database without one.
    public init?(_ writer: any DatabaseWriter) {
        let present = (try? writer.read { db in try db.tableExists("change_feed") }) ?? false
        guard present else { return nil }
        self.writer = writer
    }

    /// Up to `limit` events after `sequence`, oldest first; only `unit`'s when given.
    public func events(after sequence: Int64, limit: Int, unit: String?) async throws -> [ChangeEvent] {
        try await writer.read { db in
            let sql = """
                SELECT seq, at, actor, kind, entity_id, action, unit_code, state_type, state FROM change_feed
                WHERE seq > ? \(unit == nil ? "" : "AND unit_code = ?") ORDER BY seq LIMIT ?
                """
            let arguments: StatementArguments = unit.map { [sequence, $0, limit] } ?? [sequence, limit]
            return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
                ChangeEvent(sequence: row[0], at: row[1], actor: row[2], kind: row[3], entityID: row[4], action: row[5], unitCode: row[6],
                            stateType: row[7], state: row[8])
            }
        }
    }

    /// The last sequence pruned away: a client must have processed at least that far to resume.
    public func prunedThrough() async throws -> Int64 {
        try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT through FROM change_feed_pruned") ?? 0 }
    }

    /// The last event committed (0 for none) and the last pruned away, read together; with
    /// `unit`, the last of that unit's events (or where pruning ended, if later): a caller
    /// scoped to a unit learns nothing of the other units' changes, as in its Watch.
    public func position(unit: String?) async throws -> (last: Int64, prunedThrough: Int64) {
        try await writer.read { db in
            let pruned = try Int64.fetchOne(db, sql: "SELECT through FROM change_feed_pruned") ?? 0
            let last: Int64?
            if let unit {
                last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM change_feed WHERE unit_code = ?", arguments: [unit])
            } else {
                // Pruning keeps the sequence's high-water mark in sqlite_sequence (AUTOINCREMENT),
                // so an emptied feed still says where it stands.
                last = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'change_feed'")
            }
            return (max(last ?? 0, pruned), pruned)
        }
    }

    /// Removes events older than `cutoff` (RFC 3339), remembering how far it went.
    @discardableResult
    public func prune(olderThan cutoff: String) async throws -> Int {
        try await writer.write { db in
            guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM change_feed WHERE at < ?", arguments: [cutoff]) else { return 0 }
            try db.execute(sql: "DELETE FROM change_feed WHERE seq <= ?", arguments: [last])
            let removed = db.changesCount
            try db.execute(sql: "UPDATE change_feed_pruned SET through = MAX(through, ?)", arguments: [last])
            return removed
        }
    }
}

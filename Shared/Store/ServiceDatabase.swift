import Foundation
import GRDB

/// Opening and migrating a service's own SQLite file, the same way for every service.
public enum ServiceDatabase {
    /// Opens (creating if needed) the database file in WAL mode with foreign keys on.
    /// `synchronous = NORMAL` keeps an acknowledged write across a killed process; FULL also
    /// across power loss, at the price of an fsync per commit.
    public static func open(path: String, durableAgainstPowerLoss: Bool = false) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: durableAgainstPowerLoss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }

    /// Applies `migrator`, refusing a database written by a newer version of `service`.
    public static func migrate(_ writer: any DatabaseWriter, with migrator: DatabaseMigrator, service: String) throws {
        let superseded = try writer.read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            let unknown = try writer.read { db in try migrator.appliedIdentifiers(db) }.subtracting(migrator.migrations)
            throw StoreError("the database was written by a newer \(service) (unknown migrations: \(unknown.sorted().joined(separator: ", ")))")
        }
        try migrator.migrate(writer)
    }

    /// Now, as stored in every table: RFC 3339 in UTC, to the second.
    public static func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}

/// A store failure that is not about the caller's input.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

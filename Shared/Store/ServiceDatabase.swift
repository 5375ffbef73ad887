import Foundation
import CSQLite
import GRDB

/// Opening and migrating a service's own SQLite file, the same way for every service.
public enum ServiceDatabase {
    /// What an acknowledged write promises.
    public enum Durability: Sendable {
        /// Survives a killed process; a power loss may roll back the last commits before a
        /// checkpoint (the database stays consistent). `synchronous = NORMAL`.
        case processCrash
        /// Also survives power loss: an fsync per commit. `synchronous = FULL`. For identity
        /// and money.
        case powerLoss
    }

    /// The page cache of the writer connection and of each reader (at most five).
    static let writerCacheKiB = 96 * 1024
    static let readerCacheKiB = 16 * 1024

    /// Opens (creating if needed) the database file in WAL mode with foreign keys on. A new
    /// file is created 0600, and an existing one loses any permission for others (a group an
    /// operator gave it stays): SQLite gives its -wal and -shm files the same mode.
    public static func open(path: String, durability: Durability) throws -> DatabasePool {
        _ = processSettings
        try restrictPermissions(of: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: durability == .powerLoss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            // The writer's page cache holds a bulk transaction's dirty pages (with SQLite's 2 MiB
            // default a batch of 10,000 volunteers spilled to the WAL) and, at a million
            // volunteers, the indexes an import writes at random places (ID hash, name: ~75 MB;
            // with 32 MiB the import ran at 31,000 rows/s, with 96 MiB 35,500-36,000, RSS 178
            // MiB). The cache fills only as far as a database needs it; a reader's keeps the
            // upper levels of a million-row table's indexes, so a look-up by key reads one page
            // or two from the file, not five.
            let cacheKiB = db.configuration.readonly ? readerCacheKiB : writerCacheKiB
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            // Statement journals (an insert that fires a trigger keeps one, in case it must be
            // undone alone) stay in memory: in a temporary file they cost two writes per page
            // per row of a bulk import.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return try naming(path) { try DatabasePool(path: path, configuration: configuration) }
    }

    /// SQLite's process-wide settings, made once before the first database opens (see
    /// CSQLite: no memory statistics, so no global lock per allocation).
    static let processSettings: Int32 = pingan_sqlite_configure()

    /// Runs `body`, turning SQLite's report of a damaged file into an error that names the file
    /// and says what to do.
    public static func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where DatabaseHealth.isCorruption(error) {
            throw StoreError("database \(path) is damaged (SQLite: \(error.message ?? "\(error.resultCode)")); "
                             + "restore it from a backup and check it with --check-database", damaged: true)
        }
    }

    /// Creates `path` empty with mode 0600 if it does not exist; otherwise clears its bits for
    /// others. A file that is not ours to change is refused, naming it.
    static func restrictPermissions(of path: String) throws {
        let files = FileManager.default
        guard files.fileExists(atPath: path) else {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreError("database \(path) cannot be created")
            }
            return
        }
        let mode = (try files.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
        if mode & 0o007 != 0 {
            do {
                try files.setAttributes([.posixPermissions: mode & ~0o007], ofItemAtPath: path)
            } catch {
                throw StoreError("database \(path) is readable by others (mode \(String(mode, radix: 8))) and its mode cannot be changed: \(error)")
            }
        }
    }

    /// Applies `migrator`, refusing a database written by a newer version of `service`.
    public static func migrate(_ writer: any DatabaseWriter, with migrator: DatabaseMigrator, service: String) throws {
        try naming(writer.path) { try migrate(checked: writer, with: migrator, service: service) }
    }

    private static func migrate(checked writer: any DatabaseWriter, with migrator: DatabaseMigrator, service: String) throws {
        let superseded = try writer.read { db in try migrator.hasBeenSuperseded(db) }
        if superseded {
            let unknown = try writer.read { db in try migrator.appliedIdentifiers(db) }.subtracting(migrator.migrations)
            throw StoreError("the database was written by a newer \(service) (unknown migrations: \(unknown.sorted().joined(separator: ", ")))")
        }
        try migrator.migrate(writer)
    }
}

/// A store failure that is not about the caller's input.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// True when the error is SQLite saying the file is damaged.
    public var damaged: Bool
    public init(_ message: String, damaged: Bool = false) {
        self.message = message
        self.damaged = damaged
    }
    public var description: String { message }
}

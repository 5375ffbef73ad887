import Foundation
import GRDB

/// Online backups of a service's database, and their restore. A backup is SQLite's backup API
/// run against the live file from another process (consistent while the service writes: WAL
/// readers see one snapshot), checked with `PRAGMA integrity_check`, and described by a
/// manifest beside it naming the service, so a backup cannot be restored into another service.
/// Nothing but the database is copied: key files (the personal-data key) never enter a backup.
public enum DatabaseBackup {
    /// What a backup is, written next to it as `FILE.json`.
    public struct Manifest: Codable, Sendable, Hashable {
        public var service: String
        public var createdAt: String
        public var bytes: Int
        /// The schema migrations the database had, oldest first.
        public var migrations: [String]
        public var integrity: String
    }

    /// Writes `directory/SERVICE-YYYYMMDDTHHMMSSZ.sqlite` and its manifest from the database at
    /// `database`, then keeps only the newest `keep` backups of the service in the directory.
    ///
    /// - Returns: the backup's path and manifest.
    /// - Throws: a `StoreError` when the source cannot be read or the copy fails its check (the
    ///   partial file is removed).
    public static func write(service: String, database: String, into directory: String, keep: Int, now: Date = Date()) throws -> (path: String, manifest: Manifest) {
        guard FileManager.default.fileExists(atPath: database) else { throw StoreError("backup: no database at \(database)") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stamp = now.formatted(.iso8601.year().month().day().dateSeparator(.omitted).time(includingFractionalSeconds: false).timeSeparator(.omitted))
        let path = "\(directory)/\(service)-\(stamp).sqlite"
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw StoreError("backup: cannot write in \(directory)")
        }
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            let source = try ServiceDatabase.naming(database) { try DatabaseQueue(path: database, configuration: readOnly) }
            let copy = try DatabaseQueue(path: partial)
            try source.backup(to: copy)
            let (integrity, migrations) = try copy.read { db in
                (try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; "),
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
            }
            try copy.close()
            guard integrity == "ok" else { throw StoreError("backup: the copy of \(database) failed its integrity check: \(integrity.prefix(500))") }
            let bytes = (try FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0
            let manifest = Manifest(service: service, createdAt: now.formatted(.iso8601), bytes: bytes, migrations: migrations, integrity: integrity)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            guard FileManager.default.createFile(atPath: path + ".json", contents: try encoder.encode(manifest), attributes: [.posixPermissions: 0o600]) else {
                throw StoreError("backup: cannot write \(path).json")
            }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            try prune(service: service, in: directory, keep: keep)
            return (path, manifest)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Removes all but the newest `keep` backups of `service` (and their manifests).
    static func prune(service: String, in directory: String, keep: Int) throws {
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("\(service)-") && $0.hasSuffix(".sqlite") }
            .sorted()
        for name in backups.dropLast(max(keep, 1)) {
            try FileManager.default.removeItem(atPath: "\(directory)/\(name)")
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name).json")
        }
    }

    /// The manifest beside `backup`, checked against `service` and the file itself.
    ///
    /// - Throws: a `StoreError` naming what does not match.
    public static func manifest(of backup: String, for service: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: backup + ".json"),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            throw StoreError("restore: \(backup).json, the backup's manifest, is missing or unreadable")
        }
        guard manifest.service == service else {
            throw StoreError("restore: \(backup) is a backup of the \(manifest.service) service, not of \(service)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: backup)[.size] as? Int) ?? -1
        guard bytes == manifest.bytes else {
            throw StoreError("restore: \(backup) has \(bytes) bytes; its manifest says \(manifest.bytes): it is not the file that was backed up")
        }
        var readOnly = Configuration()
        readOnly.readonly = true
        let integrity = try ServiceDatabase.naming(backup) {
            try DatabaseQueue(path: backup, configuration: readOnly).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
        }
        guard integrity == "ok" else { throw StoreError("restore: \(backup) fails its integrity check: \(integrity.prefix(500))") }
        return manifest
    }

    /// Puts `backup` in place of the database at `database`, setting the current files aside
    /// (`database.before-restore`, with its WAL) so `undo` can put them back. The service must
    /// be stopped.
    public static func swapIn(_ backup: String, at database: String) throws -> RestoredSwap {
        let aside = database + ".before-restore"
        let files = ["", "-wal", "-shm"]
        for suffix in files { try? FileManager.default.removeItem(atPath: aside + suffix) }
        for suffix in files where FileManager.default.fileExists(atPath: database + suffix) {
            try FileManager.default.moveItem(atPath: database + suffix, toPath: aside + suffix)
        }
        try FileManager.default.copyItem(atPath: backup, toPath: database)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database)
        return RestoredSwap(database: database, aside: aside)
    }

    /// A restored database and where the one it replaced was set aside.
    public struct RestoredSwap: Sendable {
        public var database: String
        public var aside: String

        /// Puts the replaced database back (the restored one did not open).
        public func undo() {
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: database + suffix)
                if FileManager.default.fileExists(atPath: aside + suffix) { try? FileManager.default.moveItem(atPath: aside + suffix, toPath: database + suffix) }
            }
        }
    }
}

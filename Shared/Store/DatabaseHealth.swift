import Foundation
import GRDB
import Synchronization

/// Whether a service's database can be trusted: checked at start (bounded in time), in full on
/// demand, and marked damaged the moment SQLite reports corruption while serving. A damaged
/// database is not written to again: the service refuses its calls until it is restored.
public final class DatabaseHealth: Sendable {
    private let writer: any DatabaseWriter
    private let damage = Mutex<String?>(nil)

    public init(_ writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Why the database is considered damaged, or nil.
    public var damageReport: String? { damage.withLock { $0 } }

    /// Records the first sign of damage; later ones do not replace it.
    public func markDamaged(_ reason: String) {
        damage.withLock { current in
            if current == nil { current = reason }
        }
    }

    /// What a check found.
    public enum Outcome: Sendable, Hashable {
        case intact
        /// SQLite's own words for the first problems it found.
        case damaged([String])
        /// The check did not finish within its bound; nothing was found before that.
        case unfinished
    }

    /// `PRAGMA quick_check`, interrupted after `limit` (a large file must not hold up a start).
    public func quickCheck(within limit: Duration) async -> Outcome {
        let writer = self.writer
        let timer = Task {
            try await Task.sleep(for: limit)
            writer.interrupt()
        }
        defer { timer.cancel() }
        return await check(pragma: "PRAGMA quick_check(20)")
    }

    /// `PRAGMA integrity_check`, however long it takes: for `--check-database` and after a restore.
    public func integrityCheck() async -> Outcome {
        await check(pragma: "PRAGMA integrity_check(100)")
    }

    private func check(pragma: String) async -> Outcome {
        do {
            let lines = try await writer.read { db in try String.fetchAll(db, sql: pragma) }
            let outcome: Outcome = lines == ["ok"] ? .intact : .damaged(lines)
            if case .damaged(let problems) = outcome { markDamaged(problems.prefix(3).joined(separator: "; ")) }
            return outcome
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            return .unfinished
        } catch {
            markDamaged("\(error)")
            return .damaged(["\(error)"])
        }
    }

    /// True for an error by which SQLite says the file is damaged.
    public static func isCorruption(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }
}

/// The parts of a service's store that the host works with: its audit log and its health.
public struct StoreHandle: Sendable {
    public var auditTrail: AuditTrail
    public var health: DatabaseHealth
    /// The change feed, for a store whose schema has one.
    public var feed: ChangeFeedReader?

    public init(_ writer: any DatabaseWriter, health: DatabaseHealth) {
        self.auditTrail = AuditTrail(writer)
        self.health = health
        self.feed = ChangeFeedReader(writer)
    }
}

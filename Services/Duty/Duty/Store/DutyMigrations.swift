import GRDB

/// The duty service's schema, one named migration per shipped change. A shipped migration is
/// literal SQL that is never edited and never uses app types: it must replay identically on any
/// old database. A change is a new function and one more `registerMigration` line.
enum DutyMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit log and idempotency keys", migrate: v1)
        return migrator
    }

    /// The append-only audit log and the first answers to idempotent mutations.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL,
                request_id TEXT NOT NULL
            );
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY NOT NULL,
                method TEXT NOT NULL,
                request_hash BLOB NOT NULL,
                response TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """)
    }
}

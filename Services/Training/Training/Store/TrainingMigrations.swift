import GRDB
import PinganVolunteerReplica

/// The training service's schema, one named migration per shipped change; never edited once
/// shipped.
enum TrainingMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: courses, sessions, enrollments, attendance, course records", migrate: v1)
        migrator.registerMigration("v2: the change feed", migrate: v2)
        migrator.registerMigration("v3: a copy of the registry's volunteers", migrate: VolunteerReplica.createTables)
        migrator.registerMigration("v4: the registry feed's event at the copy's position", migrate: VolunteerReplica.addPositionEvent)
        return migrator
    }

    /// Courses, sessions, enrollments, attendance, course records.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE courses (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('pre_job', 'post_quality', 'project_skill')),
                projects TEXT NOT NULL,
                deadline TEXT NOT NULL,
                valid_through TEXT,
                required_hours REAL NOT NULL CHECK (required_hours > 0),
                assessment_required INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );

            CREATE TABLE sessions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                course_id INTEGER NOT NULL REFERENCES courses(id),
                starts_at TEXT NOT NULL,
                ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
                place TEXT NOT NULL,
                capacity INTEGER NOT NULL CHECK (capacity > 0),
                trainer TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
                cancel_reason TEXT
            );
            CREATE INDEX sessions_course ON sessions(course_id, starts_at);
            CREATE INDEX sessions_trainer ON sessions(trainer);

            -- What the registry said of a volunteer when last asked: reports group by it.
            CREATE TABLE volunteers (
                id INTEGER PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                unit_code TEXT NOT NULL,
                category INTEGER NOT NULL,
                checked_at TEXT NOT NULL
            );
            CREATE INDEX volunteers_unit ON volunteers(unit_code);

            CREATE TABLE enrollments (
                session_id INTEGER NOT NULL REFERENCES sessions(id),
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                status TEXT NOT NULL CHECK (status IN ('enrolled', 'cancelled')),
                enrolled_at TEXT NOT NULL,
                PRIMARY KEY (session_id, volunteer_id)
            );
            CREATE INDEX enrollments_volunteer ON enrollments(volunteer_id, status);

            CREATE TABLE attendance (
                session_id INTEGER NOT NULL REFERENCES sessions(id),
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                present INTEGER NOT NULL,
                hours REAL NOT NULL CHECK (hours >= 0),
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (session_id, volunteer_id)
            );

            CREATE TABLE assessments (
                course_id INTEGER NOT NULL REFERENCES courses(id),
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                passed INTEGER NOT NULL,
                assessed_on TEXT NOT NULL,
                PRIMARY KEY (course_id, volunteer_id)
            );

            -- Derived from attendance and assessments in the same transaction, so that
            -- qualification is one indexed read per volunteer.
            CREATE TABLE course_records (
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                course_id INTEGER NOT NULL REFERENCES courses(id),
                hours REAL NOT NULL,
                assessment_passed INTEGER,
                completed_on TEXT,
                PRIMARY KEY (volunteer_id, course_id)
            );
            CREATE INDEX course_records_course ON course_records(course_id, completed_on);

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

    /// The change feed: events written with their changes (PinganStore's ChangeFeed), and how far
    /// they were pruned.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE change_feed (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                entity_id TEXT NOT NULL,
                action TEXT NOT NULL,
                unit_code TEXT,
                state_type TEXT NOT NULL,
                state BLOB NOT NULL
            );
            CREATE INDEX change_feed_unit ON change_feed(unit_code, seq);
            CREATE TRIGGER change_feed_no_update BEFORE UPDATE ON change_feed
                BEGIN SELECT RAISE(ABORT, 'change events are immutable'); END;
            CREATE TABLE change_feed_pruned (through INTEGER NOT NULL);
            INSERT INTO change_feed_pruned (through) VALUES (0);
            """)
    }
}

import GRDB
import PinganVolunteerReplica

/// The duty service's schema, one named migration per shipped change. A shipped migration is
/// literal SQL that is never edited and never uses app types: it must replay identically on any
/// old database (the tables of the registry's copy are PinganVolunteerReplica's, under the same
/// rule). A change is a new function and one more `registerMigration` line.
enum DutyMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit log and idempotency keys", migrate: v1)
        migrator.registerMigration("v2: posts and routes, shifts, activities, hazards", migrate: v2)
        migrator.registerMigration("v3: patrol check-ins", migrate: v3)
        migrator.registerMigration("v4: key persons and their assistance, sealed", migrate: v4)
        migrator.registerMigration("v5: dispute cases and their steps, sealed", migrate: v5)
        migrator.registerMigration("v6: the change feed", migrate: v6)
        migrator.registerMigration("v7: a copy of the registry's volunteers", migrate: VolunteerReplica.createTables)
        migrator.registerMigration("v8: the registry feed's event at the copy's position", migrate: VolunteerReplica.addPositionEvent)
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

    /// Posts with their routes, shifts (no volunteer on two overlapping ones, enforced here),
    /// activity records, hazards with their append-only history.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE posts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                code TEXT NOT NULL UNIQUE,
                project TEXT NOT NULL CHECK (project IN ('publicity', 'patrol', 'station_guarding', 'hazard_information',
                                                         'dispute_mediation', 'key_person_assistance')),
                unit_code TEXT NOT NULL,
                place TEXT NOT NULL,
                duty TEXT NOT NULL,
                retired_at TEXT,
                retire_reason TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX posts_unit ON posts(unit_code, project);
            CREATE TRIGGER posts_no_delete BEFORE DELETE ON posts
                BEGIN SELECT RAISE(ABORT, 'posts are retired, never deleted'); END;

            CREATE TABLE checkpoints (
                post_id INTEGER NOT NULL REFERENCES posts(id),
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                minutes_from_start INTEGER NOT NULL,
                PRIMARY KEY (post_id, position)
            );

            -- What the registry said of a volunteer when last asked: reports group by it.
            CREATE TABLE volunteers (
                id INTEGER PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                unit_code TEXT NOT NULL
            );

            CREATE TABLE shifts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                post_id INTEGER NOT NULL REFERENCES posts(id),
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                starts_at TEXT NOT NULL,
                ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
                status TEXT NOT NULL CHECK (status IN ('assigned', 'cancelled')),
                cancel_reason TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX shifts_volunteer ON shifts(volunteer_id, starts_at);
            CREATE INDEX shifts_post ON shifts(post_id, starts_at);
            -- No volunteer on two overlapping shifts (touching ends do not overlap), whatever
            -- the code above it does.
            CREATE TRIGGER shifts_no_overlap BEFORE INSERT ON shifts WHEN NEW.status = 'assigned'
            BEGIN
                SELECT RAISE(ABORT, 'OVERLAPPING_SHIFT') WHERE EXISTS (
                    SELECT 1 FROM shifts WHERE volunteer_id = NEW.volunteer_id AND status = 'assigned'
                        AND starts_at < NEW.ends_at AND NEW.starts_at < ends_at);
            END;

            CREATE TABLE activities (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                project TEXT NOT NULL,
                day TEXT NOT NULL,
                place TEXT NOT NULL,
                hours REAL NOT NULL CHECK (hours > 0 AND hours <= 24),
                note TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX activities_day ON activities(day, volunteer_id);

            CREATE TABLE hazards (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('public_order', 'fire')),
                unit_code TEXT NOT NULL,
                place TEXT NOT NULL,
                description TEXT NOT NULL,
                reported_by INTEGER,
                reported_on TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('reported', 'referred', 'rectifying', 'rectified', 'verified')),
                department TEXT,
                due_on TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX hazards_unit_status ON hazards(unit_code, status);

            CREATE TABLE hazard_history (
                hazard_id INTEGER NOT NULL REFERENCES hazards(id),
                at TEXT NOT NULL,
                on_day TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                actor TEXT NOT NULL,
                note TEXT NOT NULL,
                request_id TEXT NOT NULL
            );
            CREATE INDEX hazard_history_hazard ON hazard_history(hazard_id);
            CREATE TRIGGER hazard_history_no_update BEFORE UPDATE ON hazard_history
                BEGIN SELECT RAISE(ABORT, 'hazard_history is append-only'); END;
            CREATE TRIGGER hazard_history_no_delete BEFORE DELETE ON hazard_history
                BEGIN SELECT RAISE(ABORT, 'hazard_history is append-only'); END;
            """)
    }

    /// One check-in per checkpoint of a patrol shift's round: the first time stands.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE check_ins (
                shift_id INTEGER NOT NULL REFERENCES shifts(id),
                position INTEGER NOT NULL,
                checkpoint TEXT NOT NULL,
                at TEXT NOT NULL,
                recorded_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (shift_id, position)
            );
            CREATE INDEX shifts_starts ON shifts(starts_at);
            """)
    }

    /// Key persons and the assistance volunteers give them: names, situations and notes sealed
    /// with the data key, whose check is kept beside them.
    static func v4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE data_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                check_sealed BLOB NOT NULL,
                since TEXT NOT NULL
            );
            CREATE TABLE key_persons (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code TEXT NOT NULL,
                category TEXT NOT NULL,
                name_sealed BLOB NOT NULL,
                situation_sealed BLOB NOT NULL,
                helper_volunteer_id INTEGER,
                created_at TEXT NOT NULL
            );
            CREATE INDEX key_persons_unit ON key_persons(unit_code);
            CREATE TABLE assistance (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key_person_id INTEGER NOT NULL REFERENCES key_persons(id),
                volunteer_id INTEGER NOT NULL,
                day TEXT NOT NULL,
                kind TEXT NOT NULL,
                note_sealed BLOB NOT NULL,
                recorded_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX assistance_person ON assistance(key_person_id, day);
            """)
    }

    /// Dispute cases: parties, summary and every step's note sealed; the steps append-only.
    static func v5(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE disputes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code TEXT NOT NULL,
                kind TEXT NOT NULL,
                parties_sealed BLOB NOT NULL,
                summary_sealed BLOB NOT NULL,
                opened_on TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'mediating', 'settled', 'referred')),
                mediator_volunteer_id INTEGER,
                referred_to TEXT,
                closed_on TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX disputes_unit_status ON disputes(unit_code, status);
            CREATE TABLE dispute_steps (
                dispute_id INTEGER NOT NULL REFERENCES disputes(id),
                on_day TEXT NOT NULL,
                action TEXT NOT NULL,
                note_sealed BLOB NOT NULL,
                actor TEXT NOT NULL,
                request_id TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX dispute_steps_dispute ON dispute_steps(dispute_id);
            CREATE TRIGGER dispute_steps_no_update BEFORE UPDATE ON dispute_steps
                BEGIN SELECT RAISE(ABORT, 'dispute_steps is append-only'); END;
            CREATE TRIGGER dispute_steps_no_delete BEFORE DELETE ON dispute_steps
                BEGIN SELECT RAISE(ABORT, 'dispute_steps is append-only'); END;
            """)
    }

    /// The change feed: events written with their changes (PinganStore's ChangeFeed), and how far
    /// they were pruned.
    static func v6(_ db: Database) throws {
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

import GRDB

/// The registry's schema, one named migration per shipped change. Migrations are never edited
/// once shipped and never use app types: they must replay identically on any old database.
enum RegistryMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: units, volunteers, batches, audit log", migrate: v1)
        migrator.registerMigration("v2: public applications and status history", migrate: v2)
        migrator.registerMigration("v3: idempotency keys", migrate: v3)
        migrator.registerMigration("v4: teams, transfers, staff roles, search indexes", migrate: v4)
        migrator.registerMigration("v5: data key check and key rotation", migrate: v5)
        migrator.registerMigration("v6: birth dates sealed, birth years, shorter ID masks", migrate: v6)
        migrator.registerMigration("v7: the change feed", migrate: v7)
        migrator.registerMigration("v8: the day a status change took effect", migrate: v8)
        migrator.registerMigration("v9: volunteer tallies kept by triggers", migrate: v9)
        return migrator
    }

    /// Units, volunteers, batches, audit log.
    static func v1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE org_units (
                code TEXT PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('town', 'department', 'residential_committee', 'village_committee',
                                                   'village_group', 'enterprise', 'key_unit')),
                parent_code TEXT REFERENCES org_units(code),
                responsible TEXT
            );
            CREATE INDEX org_units_parent ON org_units(parent_code);

            CREATE TABLE registration_batches (
                batch_id TEXT PRIMARY KEY NOT NULL,
                content_hash BLOB NOT NULL,
                unit_code TEXT NOT NULL REFERENCES org_units(code),
                category INTEGER NOT NULL,
                accepted INTEGER NOT NULL,
                first_volunteer_id INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );

            -- ID and phone numbers are stored sealed (AES-256-GCM) with a keyed hash for
            -- uniqueness and look-up; the masked form is kept for listings.
            CREATE TABLE volunteers (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                id_hash BLOB NOT NULL UNIQUE,
                id_sealed BLOB NOT NULL,
                id_masked TEXT NOT NULL,
                phone_sealed BLOB,
                phone_masked TEXT,
                birth_date TEXT NOT NULL,
                unit_code TEXT NOT NULL REFERENCES org_units(code),
                category INTEGER NOT NULL,
                subcategory TEXT,
                status TEXT NOT NULL CHECK (status IN ('applied', 'committee_accepted', 'active', 'suspended',
                                                       'withdrawn', 'rejected')),
                batch_id TEXT REFERENCES registration_batches(batch_id),
                created_at TEXT NOT NULL
            );
            CREATE INDEX volunteers_unit_status ON volunteers(unit_code, status);
            CREATE INDEX volunteers_category ON volunteers(category, subcategory);

            -- Append-only: every mutation and every unmasked read of personal data.
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
            """)
    }

    /// Public applications and status history.
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE applications (
                volunteer_id INTEGER PRIMARY KEY NOT NULL REFERENCES volunteers(id),
                applied_on TEXT NOT NULL,
                residency TEXT NOT NULL CHECK (residency IN ('shanghai_household', 'other_province', 'foreign')),
                resident_since TEXT,
                age_waiver_reason TEXT
            );

            -- Every status change, with who made it and why: history is never rewritten.
            CREATE TABLE status_history (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                at TEXT NOT NULL,
                from_status TEXT,
                to_status TEXT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT,
                request_id TEXT NOT NULL
            );
            CREATE INDEX status_history_volunteer ON status_history(volunteer_id);
            CREATE TRIGGER status_history_no_update BEFORE UPDATE ON status_history
                BEGIN SELECT RAISE(ABORT, 'status_history is append-only'); END;
            CREATE TRIGGER status_history_no_delete BEFORE DELETE ON status_history
                BEGIN SELECT RAISE(ABORT, 'status_history is append-only'); END;
            """)
    }

    /// Idempotency keys.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            -- The first answer to a mutation sent with an idempotency key, so a retry gets it again.
            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY NOT NULL,
                method TEXT NOT NULL,
                request_hash BLOB NOT NULL,
                response TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """)
    }

    /// Teams, transfers, staff roles, search indexes.
    static func v4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE teams (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code TEXT NOT NULL REFERENCES org_units(code),
                name TEXT NOT NULL,
                leader_id INTEGER REFERENCES volunteers(id),
                created_at TEXT NOT NULL,
                UNIQUE (unit_code, name)
            );
            CREATE UNIQUE INDEX teams_leader ON teams(leader_id) WHERE leader_id IS NOT NULL;

            ALTER TABLE volunteers ADD COLUMN team_id INTEGER REFERENCES teams(id);
            CREATE INDEX volunteers_team ON volunteers(team_id);
            CREATE INDEX volunteers_name ON volunteers(name);
            CREATE INDEX volunteers_status ON volunteers(status);

            -- Every move between teams (or into the first one): history is never rewritten.
            CREATE TABLE team_history (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
                at TEXT NOT NULL,
                from_team_id INTEGER REFERENCES teams(id),
                to_team_id INTEGER NOT NULL REFERENCES teams(id),
                actor TEXT NOT NULL,
                reason TEXT NOT NULL,
                request_id TEXT NOT NULL
            );
            CREATE INDEX team_history_volunteer ON team_history(volunteer_id);
            CREATE TRIGGER team_history_no_update BEFORE UPDATE ON team_history
                BEGIN SELECT RAISE(ABORT, 'team_history is append-only'); END;
            CREATE TRIGGER team_history_no_delete BEFORE DELETE ON team_history
                BEGIN SELECT RAISE(ABORT, 'team_history is append-only'); END;

            CREATE TABLE staff_roles (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                unit_code TEXT NOT NULL REFERENCES org_units(code),
                person_name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('director', 'deputy_director', 'office_in_charge', 'office_staff', 'team_manager')),
                assigned_at TEXT NOT NULL,
                ended_at TEXT,
                end_reason TEXT
            );
            CREATE INDEX staff_roles_unit ON staff_roles(unit_code) WHERE ended_at IS NULL;
            """)
    }

    /// The data key's check values, the progress of a key rotation, and the key generation each
    /// batch's content hash was made under.
    static func v5(_ db: Database) throws {
        try db.execute(sql: """
            -- A fixed text hashed and sealed under the key in force: a service started with
            -- another key notices before it reads or writes anything.
            CREATE TABLE data_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                check_hash BLOB NOT NULL,
                check_sealed BLOB NOT NULL,
                generation INTEGER NOT NULL,
                since TEXT NOT NULL
            );
            -- A rotation under way: the new key's check hash and the last volunteer re-sealed.
            CREATE TABLE key_rotation (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                new_check_hash BLOB NOT NULL,
                last_volunteer_id INTEGER NOT NULL,
                started_at TEXT NOT NULL
            );
            ALTER TABLE registration_batches ADD COLUMN key_generation INTEGER NOT NULL DEFAULT 1;
            """)
    }

    /// Birth dates leave the plain columns: a year for masked answers, the date sealed (the
    /// store seals the existing ones with the key when it opens); ID masks keep two characters
    /// at each end.
    static func v6(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE volunteers ADD COLUMN birth_year INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE volunteers ADD COLUMN birth_date_sealed BLOB;
            UPDATE volunteers SET birth_year = CAST(substr(birth_date, 1, 4) AS INTEGER);
            -- The rows whose birth date is still plain, for the store to seal without a scan.
            CREATE INDEX volunteers_plain_birth_date ON volunteers(id) WHERE birth_date != '';
            UPDATE volunteers SET id_masked = substr(id_masked, 1, 2) || substr('********************', 1, length(id_masked) - 4) || substr(id_masked, -2)
                WHERE length(id_masked) > 4;
            """)
    }

    /// The change feed: events written with their changes (PinganStore's ChangeFeed), and how far
    /// they were pruned.
    static func v7(_ db: Database) throws {
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

    /// The day a status change took effect (the application's day, a decision's day), apart
    /// from when it was recorded.
    static func v8(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE status_history ADD COLUMN on_day TEXT")
    }

    /// Volunteers counted by unit, category, sub-category and status, kept by triggers in the
    /// transaction of each change: progress reports read a few hundred rows instead of counting
    /// a million. A missing sub-category is tallied as ''.
    static func v9(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE volunteer_tallies (
                unit_code TEXT NOT NULL,
                category INTEGER NOT NULL,
                subcategory TEXT NOT NULL,
                status TEXT NOT NULL,
                n INTEGER NOT NULL CHECK (n >= 0),
                PRIMARY KEY (unit_code, category, subcategory, status)
            ) WITHOUT ROWID;
            INSERT INTO volunteer_tallies (unit_code, category, subcategory, status, n)
                SELECT unit_code, category, COALESCE(subcategory, ''), status, COUNT(*) FROM volunteers
                GROUP BY unit_code, category, COALESCE(subcategory, ''), status;
            CREATE TRIGGER volunteer_tallies_insert AFTER INSERT ON volunteers BEGIN
                INSERT INTO volunteer_tallies (unit_code, category, subcategory, status, n)
                    VALUES (NEW.unit_code, NEW.category, COALESCE(NEW.subcategory, ''), NEW.status, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER volunteer_tallies_delete AFTER DELETE ON volunteers BEGIN
                UPDATE volunteer_tallies SET n = n - 1
                    WHERE unit_code = OLD.unit_code AND category = OLD.category
                      AND subcategory = COALESCE(OLD.subcategory, '') AND status = OLD.status;
            END;
            CREATE TRIGGER volunteer_tallies_update AFTER UPDATE OF unit_code, category, subcategory, status ON volunteers
            WHEN OLD.unit_code IS NOT NEW.unit_code OR OLD.category IS NOT NEW.category
              OR OLD.subcategory IS NOT NEW.subcategory OR OLD.status IS NOT NEW.status BEGIN
                UPDATE volunteer_tallies SET n = n - 1
                    WHERE unit_code = OLD.unit_code AND category = OLD.category
                      AND subcategory = COALESCE(OLD.subcategory, '') AND status = OLD.status;
                INSERT INTO volunteer_tallies (unit_code, category, subcategory, status, n)
                    VALUES (NEW.unit_code, NEW.category, COALESCE(NEW.subcategory, ''), NEW.status, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            """)
    }
}

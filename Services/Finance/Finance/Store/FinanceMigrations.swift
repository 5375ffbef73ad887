import GRDB

/// The finance service's schema, one named migration per shipped change. A shipped migration is
/// literal SQL that is never edited and never uses app types: it must replay identically on any
/// old database. A change is a new function and one more `registerMigration` line.
enum FinanceMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: audit log and idempotency keys", migrate: v1)
        migrator.registerMigration("v2: the ledger - accounts and immutable transfers", migrate: v2)
        migrator.registerMigration("v3: expense standards, and the rate each transfer used", migrate: v3)
        migrator.registerMigration("v4: insignia and equipment stock", migrate: v4)
        migrator.registerMigration("v5: monthly allowance batches, and the units each village pays for", migrate: v5)
        migrator.registerMigration("v6: the change feed", migrate: v6)
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

    /// The ledger, after TigerBeetle: accounts whose balances only transfers move, and transfers
    /// that are never changed or deleted. Each transfer is one balanced entry (one amount, a
    /// debit account and a credit account), so the ledger always balances. An account flagged
    /// 1 may never have debits above its credits (a budget line cannot go below zero), flagged
    /// 2 the other way round; the CHECKs hold whatever the code above does. A pending transfer
    /// reserves its amount until one post or one void resolves it (a unique index).
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                flags INTEGER NOT NULL CHECK (flags IN (0, 1, 2)),
                debits_posted INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
                credits_posted INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
                debits_pending INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
                credits_pending INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
                created_at TEXT NOT NULL,
                CHECK (flags != 1 OR debits_posted + debits_pending <= credits_posted),
                CHECK (flags != 2 OR credits_posted + credits_pending <= debits_posted)
            );
            CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
                BEGIN SELECT RAISE(ABORT, 'accounts are never deleted'); END;

            CREATE TABLE transfers (
                id INTEGER PRIMARY KEY,
                debit_account_id INTEGER NOT NULL REFERENCES accounts(id),
                credit_account_id INTEGER NOT NULL REFERENCES accounts(id),
                amount INTEGER NOT NULL CHECK (amount > 0),
                kind TEXT NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending')),
                pending_id INTEGER REFERENCES transfers(id),
                expires_at TEXT,
                reverses_id INTEGER REFERENCES transfers(id),
                memo TEXT NOT NULL,
                actor TEXT NOT NULL,
                created_at TEXT NOT NULL,
                CHECK (debit_account_id != credit_account_id),
                CHECK ((kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL)),
                CHECK (kind = 'pending' OR expires_at IS NULL)
            );
            CREATE INDEX transfers_debit ON transfers(debit_account_id);
            CREATE INDEX transfers_credit ON transfers(credit_account_id);
            CREATE UNIQUE INDEX transfers_resolve_once ON transfers(pending_id) WHERE pending_id IS NOT NULL;
            CREATE UNIQUE INDEX transfers_reverse_once ON transfers(reverses_id) WHERE reverses_id IS NOT NULL;
            CREATE TRIGGER transfers_no_update BEFORE UPDATE ON transfers
                BEGIN SELECT RAISE(ABORT, 'transfers are immutable: correct with a reversing transfer'); END;
            CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
                BEGIN SELECT RAISE(ABORT, 'transfers are never deleted: correct with a reversing transfer'); END;

            -- A post or void names a pending transfer between the same accounts; a post moves at
            -- most the reserved amount.
            CREATE TRIGGER transfers_resolve_matches BEFORE INSERT ON transfers WHEN NEW.pending_id IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, 'PENDING_NOT_FOUND') WHERE NOT EXISTS (
                    SELECT 1 FROM transfers p WHERE p.id = NEW.pending_id AND p.kind = 'pending'
                        AND p.debit_account_id = NEW.debit_account_id AND p.credit_account_id = NEW.credit_account_id);
                SELECT RAISE(ABORT, 'EXCEEDS_PENDING_AMOUNT') WHERE NEW.amount > (SELECT amount FROM transfers WHERE id = NEW.pending_id);
            END;

            -- Balances move with transfers and only with them.
            CREATE TRIGGER transfers_posted AFTER INSERT ON transfers WHEN NEW.kind = 'posted'
            BEGIN
                UPDATE accounts SET debits_posted = debits_posted + NEW.amount WHERE id = NEW.debit_account_id;
                UPDATE accounts SET credits_posted = credits_posted + NEW.amount WHERE id = NEW.credit_account_id;
            END;
            CREATE TRIGGER transfers_pending AFTER INSERT ON transfers WHEN NEW.kind = 'pending'
            BEGIN
                UPDATE accounts SET debits_pending = debits_pending + NEW.amount WHERE id = NEW.debit_account_id;
                UPDATE accounts SET credits_pending = credits_pending + NEW.amount WHERE id = NEW.credit_account_id;
            END;
            CREATE TRIGGER transfers_resolved AFTER INSERT ON transfers WHEN NEW.pending_id IS NOT NULL
            BEGIN
                UPDATE accounts SET debits_pending = debits_pending - (SELECT amount FROM transfers WHERE id = NEW.pending_id)
                    WHERE id = NEW.debit_account_id;
                UPDATE accounts SET credits_pending = credits_pending - (SELECT amount FROM transfers WHERE id = NEW.pending_id)
                    WHERE id = NEW.credit_account_id;
                UPDATE accounts SET debits_posted = debits_posted + NEW.amount WHERE id = NEW.debit_account_id AND NEW.kind = 'post_pending';
                UPDATE accounts SET credits_posted = credits_posted + NEW.amount WHERE id = NEW.credit_account_id AND NEW.kind = 'post_pending';
            END;
            """)
    }

    /// Expense standards: immutable rates, each in force from its day until a later one of the
    /// same kind starts; a transfer records the rate it was computed with.
    static func v3(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE rates (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                valid_from TEXT NOT NULL,
                note TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (kind, valid_from)
            );
            CREATE TRIGGER rates_no_update BEFORE UPDATE ON rates
                BEGIN SELECT RAISE(ABORT, 'rates are immutable: a new rate starts on its day'); END;
            CREATE TRIGGER rates_no_delete BEFORE DELETE ON rates
                BEGIN SELECT RAISE(ABORT, 'rates are never deleted'); END;
            ALTER TABLE transfers ADD COLUMN rate_id INTEGER REFERENCES rates(id);
            """)
    }

    /// Insignia and equipment: immutable movements, and the stock per item and store room they
    /// add up to, which a CHECK keeps from going below zero.
    static func v4(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE stock (
                item TEXT NOT NULL,
                room TEXT NOT NULL,
                on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
                PRIMARY KEY (item, room)
            );
            CREATE TABLE stock_movements (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                item TEXT NOT NULL CHECK (item IN ('armband', 'vest', 't_shirt', 'badge', 'sun_hat', 'small_flag')),
                room TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('purchase', 'issue', 'return', 'loss')),
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                volunteer_id INTEGER,
                team_id INTEGER,
                transfer_id INTEGER REFERENCES transfers(id),
                note TEXT NOT NULL,
                actor TEXT NOT NULL,
                created_at TEXT NOT NULL,
                CHECK (kind != 'purchase' OR transfer_id IS NOT NULL),
                CHECK (kind NOT IN ('issue', 'return') OR (volunteer_id IS NULL) != (team_id IS NULL))
            );
            CREATE INDEX stock_movements_volunteer ON stock_movements(volunteer_id) WHERE volunteer_id IS NOT NULL;
            CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
                BEGIN SELECT RAISE(ABORT, 'stock movements are immutable'); END;
            CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
                BEGIN SELECT RAISE(ABORT, 'stock movements are never deleted'); END;
            CREATE TRIGGER stock_movements_apply AFTER INSERT ON stock_movements
            BEGIN
                INSERT OR IGNORE INTO stock (item, room, on_hand) VALUES (NEW.item, NEW.room, 0);
                UPDATE stock SET on_hand = on_hand + (CASE WHEN NEW.kind IN ('purchase', 'return') THEN NEW.quantity ELSE -NEW.quantity END)
                    WHERE item = NEW.item AND room = NEW.room;
            END;
            """)
    }

    /// Monthly allowance batches: one per month and funder while not rejected (a month is paid
    /// once), approved by someone other than who computed it (a CHECK), moved only forward
    /// (a trigger); their lines are immutable and each names the pending transfer that
    /// reserves it. `funder_units`: the units whose patrols a village pays, at most one each.
    static func v5(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE funder_units (
                unit_code TEXT PRIMARY KEY NOT NULL,
                funder TEXT NOT NULL
            );
            CREATE TABLE allowance_batches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                month TEXT NOT NULL,
                funder TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('reserved', 'approved', 'posted', 'rejected')),
                total INTEGER NOT NULL CHECK (total > 0),
                computed_by TEXT NOT NULL,
                computed_at TEXT NOT NULL,
                approved_by TEXT,
                approved_at TEXT,
                posted_by TEXT,
                posted_at TEXT,
                rejected_by TEXT,
                rejected_at TEXT,
                reason TEXT,
                CHECK (approved_by IS NULL OR approved_by != computed_by),
                CHECK (status NOT IN ('approved', 'posted') OR approved_by IS NOT NULL)
            );
            CREATE UNIQUE INDEX allowance_batches_paid_once ON allowance_batches(month, funder) WHERE status != 'rejected';
            CREATE TRIGGER allowance_batches_no_delete BEFORE DELETE ON allowance_batches
                BEGIN SELECT RAISE(ABORT, 'allowance batches are never deleted'); END;
            CREATE TRIGGER allowance_batches_forward BEFORE UPDATE ON allowance_batches
                WHEN NEW.month != OLD.month OR NEW.funder != OLD.funder OR NEW.total != OLD.total OR NEW.computed_by != OLD.computed_by
                  OR NOT ((OLD.status = 'reserved' AND NEW.status IN ('approved', 'rejected')) OR (OLD.status = 'approved' AND NEW.status IN ('posted', 'rejected')))
                BEGIN SELECT RAISE(ABORT, 'an allowance batch only moves forward: reserved, approved, posted (or rejected)'); END;
            CREATE TABLE allowance_lines (
                batch_id INTEGER NOT NULL REFERENCES allowance_batches(id),
                volunteer_id INTEGER NOT NULL,
                unit_code TEXT NOT NULL,
                rate_id INTEGER NOT NULL REFERENCES rates(id),
                quantity INTEGER NOT NULL CHECK (quantity > 0),
                amount INTEGER NOT NULL CHECK (amount > 0),
                transfer_id INTEGER NOT NULL UNIQUE REFERENCES transfers(id),
                PRIMARY KEY (batch_id, volunteer_id, rate_id)
            );
            CREATE INDEX allowance_lines_volunteer ON allowance_lines(volunteer_id);
            CREATE TRIGGER allowance_lines_no_update BEFORE UPDATE ON allowance_lines
                BEGIN SELECT RAISE(ABORT, 'allowance lines are immutable'); END;
            CREATE TRIGGER allowance_lines_no_delete BEFORE DELETE ON allowance_lines
                BEGIN SELECT RAISE(ABORT, 'allowance lines are never deleted'); END;
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

#!/usr/bin/env python3
"""SQLite alone doing what a registry import writes, the same-run floor for its rows/s.

Usage: sqlite-floor.py SCHEMA_DB SCRATCH_DB VOLUNTEERS [BATCH]

Creates SCRATCH_DB with SCHEMA_DB's tables, indexes and triggers (and its units), opened as
the registry opens its file (WAL, synchronous FULL, foreign keys, a 96 MiB page cache,
statement journals in memory), then writes VOLUNTEERS volunteers in transactions of BATCH
(10,000): per transaction a registration_batches row, the volunteers with the same column
sizes as the import's (names in the benchmark's order, random blobs for the keyed hashes and
sealed fields), a change_feed event each and an audit entry - made by SQLite statements
themselves, no per-row work outside it. No RPC, validation, hashing, sealing or encoding;
the same system libsqlite3 the registry links. Prints one JSON object.
"""
import json
import os
import sqlite3
import sys
import time

schema_db, scratch, volunteers = sys.argv[1], sys.argv[2], int(sys.argv[3])
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(scratch + suffix):
        os.remove(scratch + suffix)
source = sqlite3.connect(f"file:{schema_db}?mode=ro", uri=True)
objects = source.execute(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
units = source.execute("SELECT code, name, kind, parent_code, responsible FROM org_units").fetchall()
source.close()

db = sqlite3.connect(scratch, isolation_level=None)
for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "cache_size = -98304", "temp_store = MEMORY"):
    db.execute(f"PRAGMA {pragma}")
for (sql,) in objects:
    db.execute(sql)
db.execute("BEGIN")
# Parents first: a unit's parent must exist when it is inserted.
pending = list(units)
while pending:
    known = {row[0] for row in db.execute("SELECT code FROM org_units")}
    ready = [unit for unit in pending if unit[3] is None or unit[3] in known]
    db.executemany("INSERT INTO org_units VALUES (?, ?, ?, ?, ?)", ready)
    pending = [unit for unit in pending if unit not in ready]
db.execute("COMMIT")
unit = units[0][0]
# Rows made by SQLite itself (a recursive count, randomblob()): no per-row cost of a host
# language in the floor.
insert = """WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
            INSERT INTO volunteers (name, id_hash, id_sealed, id_masked, phone_sealed, phone_masked, birth_date, birth_year,
                                    birth_date_sealed, unit_code, category, subcategory, status, batch_id, created_at)
            SELECT '志愿者' || (? + i), randomblob(32), randomblob(47), '31**************10', randomblob(40), '138****0000', '', 1970,
                   randomblob(39), ?, 5, NULL, 'active', ?, '2026-12-01T00:00:00Z' FROM n"""
events = """INSERT INTO change_feed (at, actor, kind, entity_id, action, unit_code, state_type, state)
            SELECT '2026-12-01T00:00:00Z', 'cn:bench-admin', 'volunteer', CAST(id AS TEXT), 'registered', unit_code,
                   'pingan.registry.v1.Volunteer', randomblob(74) FROM volunteers WHERE id > ? ORDER BY id"""
started = time.perf_counter()
for first in range(0, volunteers, batch):
    count = min(batch, volunteers - first)
    batch_id = f"floor-{first}"
    db.execute("BEGIN")
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM volunteers").fetchone()[0]
    db.execute("INSERT INTO registration_batches (batch_id, content_hash, unit_code, category, accepted, first_volunteer_id, created_at) "
               "VALUES (?, randomblob(32), ?, 5, ?, 0, '2026-12-01T00:00:00Z')", (batch_id, unit, count))
    db.execute(insert, (count, first, unit, batch_id))
    db.execute(events, (last,))
    db.execute("INSERT INTO audit_log (at, actor, action, target, request_id) VALUES ('2026-12-01T00:00:00Z', 'cn:bench-admin', "
               "'registry.registerBatch', ?, 'floor')", (batch_id,))
    db.execute("COMMIT")
elapsed = time.perf_counter() - started
db.close()
size = sum(os.path.getsize(scratch + suffix) for suffix in ("", "-wal") if os.path.exists(scratch + suffix))
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(scratch + suffix):
        os.remove(scratch + suffix)
print(json.dumps({"sqlite_floor_volunteers": volunteers, "sqlite_floor_seconds": round(elapsed, 2),
                  "sqlite_floor_rows_per_s": round(volunteers / elapsed), "sqlite_floor_db_mib": round(size / 1048576, 1)}))

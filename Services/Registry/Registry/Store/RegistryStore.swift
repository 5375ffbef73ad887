import Foundation
import GRDB
import PinganCampaign
import PinganPersonalData
import PinganRules
import PinganStore

/// The registry's SQLite database. It owns its file: nothing else opens it.
public struct RegistryStore: Sendable {
    let writer: any DatabaseWriter
    /// Whether the file can be trusted; shared by every copy of the store.
    public let health: DatabaseHealth
    let cipher: PersonalDataCipher

    static let idField = "volunteer.id_number"
    static let phoneField = "volunteer.phone"
    static let birthDateField = "volunteer.birth_date"

    /// Migrates `writer`; refuses a database written by a newer version of the registry.
    public init(writer: any DatabaseWriter, cipher: PersonalDataCipher) throws {
        try ServiceDatabase.migrate(writer, with: RegistryMigrations.migrator, service: "registry")
        self.writer = writer
        self.health = DatabaseHealth(writer)
        self.cipher = cipher
    }

    /// Opens (creating if needed) the database file in WAL mode with foreign keys on, and
    /// refuses a key the data was not written with (`verifyingKey` is off only for a rotation).
    public static func open(path: String, cipher: PersonalDataCipher, verifyingKey: Bool = true) throws -> RegistryStore {
        // Identity: a registration acknowledged is kept through a power loss.
        let store = try RegistryStore(writer: ServiceDatabase.open(path: path, durability: .powerLoss), cipher: cipher)
        if verifyingKey { try ServiceDatabase.naming(path) { try store.verifyDataKey(path: path) } }
        return store
    }

    /// An in-memory database, for tests.
    public static func inMemory(cipher: PersonalDataCipher) throws -> RegistryStore {
        let store = try RegistryStore(writer: DatabaseQueue(), cipher: cipher)
        try store.verifyDataKey(path: ":memory:")
        return store
    }

    // MARK: Units

    /// Adds or updates units; parents must come before their children.
    public func saveUnits(_ units: [OrgUnit], actor: String, requestID: String) async throws {
        try await writer.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO org_units (code, name, kind, parent_code, responsible) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                    parent_code = excluded.parent_code, responsible = excluded.responsible
                """)
            for unit in units {
                try statement.execute(arguments: [unit.code, unit.name, unit.kind.rawValue, unit.parentCode, unit.responsible])
                try Self.audit(db, actor: actor, action: "registry.saveUnit",
                               target: "unit \(unit.code) \(unit.name) (\(unit.kind.rawValue), parent \(unit.parentCode ?? "none"), responsible \(unit.responsible ?? "none"))",
                               requestID: requestID)
            }
        }
    }

    public func unitCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM org_units") ?? 0 }
    }

    /// Every unit, in code order.
    public func units() async throws -> [OrgUnit] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM org_units ORDER BY code").compactMap(Self.unit) }
    }

    public func unit(code: String) async throws -> OrgUnit? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM org_units WHERE code = ?", arguments: [code]).flatMap(Self.unit) }
    }

    static func unit(_ row: Row) -> OrgUnit? {
        OrgUnit.Kind(rawValue: row["kind"]).map {
            OrgUnit(code: row["code"], name: row["name"], kind: $0, parentCode: row["parent_code"], responsible: row["responsible"])
        }
    }

    // MARK: Directed registration

    /// Registers a directed batch: every row or none. A batch id seen before returns the first
    /// result (and refuses different rows under the same id).
    ///
    /// - Throws: a `Refusal` listing every bad row, with nothing written.
    public func registerBatch(_ batch: DirectedBatch, plan: RecruitmentPlan, actor: String, requestID: String) async throws -> BatchResult {
        let (rows, errors) = batch.validate(against: plan)
        let contentHash = cipher.keyedHash(Self.canonical(batch), field: "registration_batch")
        // The hashing, sealing and encoding happen before the write, on every core: the writer,
        // which every other write waits for, only runs the statements.
        let now = Self.timestamp()
        let prepared = await Self.prepare(rows, of: batch, at: now, with: cipher)
        return try await writer.write { db in
            if let previous = try Row.fetchOne(db, sql: """
                SELECT content_hash, accepted, first_volunteer_id, key_generation FROM registration_batches WHERE batch_id = ?
                """, arguments: [batch.batchID]) {
                guard previous["key_generation"] as Int == (try Self.keyGeneration(db)) else {
                    throw Refusal("batch", [BrokenRule(field: "batchId", rule: "BATCH_ID_REUSED", kind: .duplicate,
                        message: "batch \(batch.batchID) was registered before the data key was rotated, so it cannot be compared; use a new batch id")])
                }
                guard (previous["content_hash"] as Data?) == Data(contentHash) else {
                    throw Refusal("batch", [BrokenRule(field: "batchId", rule: "BATCH_ID_REUSED",
                        kind: .duplicate, message: "batch \(batch.batchID) was already registered with different rows")])
                }
                return BatchResult(batchID: batch.batchID, accepted: previous["accepted"], firstVolunteerID: previous["first_volunteer_id"], replayed: true)
            }
            var allErrors = errors
            if try Int.fetchOne(db, sql: "SELECT 1 FROM org_units WHERE code = ?", arguments: [batch.unitCode]) == nil {
                allErrors.insert(BrokenRule(field: "unitCode", rule: "UNKNOWN_UNIT", kind: .missing, message: "unit \(batch.unitCode) does not exist"), at: 0)
            }
            let existing = try db.cachedStatement(sql: "SELECT id FROM volunteers WHERE id_hash = ?")
            for row in prepared {
                if let volunteer = try Int64.fetchOne(existing, arguments: [row.idHash]) {
                    allErrors.append(BrokenRule.row(row.number, "idNumber", rule: "ALREADY_REGISTERED",
                                              kind: .duplicate, message: "this person is already registered (volunteer \(volunteer))"))
                }
            }
            guard allErrors.isEmpty else {
                throw Refusal("batch", allErrors.sorted(by: BrokenRule.inRowOrder))
            }

            try db.execute(sql: """
                INSERT INTO registration_batches (batch_id, content_hash, unit_code, category, accepted, first_volunteer_id, created_at, key_generation)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?)
                """, arguments: [batch.batchID, Data(contentHash), batch.unitCode, batch.category, rows.count, now, try Self.keyGeneration(db)])
            let firstID = try Self.insertRegistrations(db, prepared, unitCode: batch.unitCode, actor: actor)
            try db.execute(sql: "UPDATE registration_batches SET first_volunteer_id = ? WHERE batch_id = ?",
                           arguments: [firstID, batch.batchID])
            try Self.audit(db, actor: actor, action: "registry.registerBatch",
                           target: "batch \(batch.batchID): \(rows.count) volunteers of category \(batch.category) in \(batch.unitCode)",
                           requestID: requestID)
            return BatchResult(batchID: batch.batchID, accepted: rows.count, firstVolunteerID: firstID, replayed: false)
        }
    }

    /// Volunteers per INSERT of a batch: a statement per row cost the writer more than SQLite's
    /// own work for it; 500 rows of 13 values stay under SQLite's 32,766 bound parameters.
    static let rowsPerInsert = 500

    /// Inserts a batch's prepared rows and their feed events, `rowsPerInsert` an INSERT; returns
    /// the first volunteer's id.
    private static func insertRegistrations(_ db: Database, _ rows: [PreparedRow], unitCode: String, actor: String) throws -> Int64 {
        var firstID: Int64 = 0
        for start in stride(from: 0, to: rows.count, by: rowsPerInsert) {
            let chunk = rows[start..<min(start + rowsPerInsert, rows.count)]
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'active', ?, ?)", count: chunk.count).joined(separator: ", ")
            try db.statement(sql: """
                INSERT INTO volunteers (name, id_hash, id_sealed, id_masked, phone_sealed, phone_masked, birth_date, birth_year,
                                        birth_date_sealed, unit_code, category, subcategory, status, batch_id, created_at)
                VALUES \(values)
                """, cachedWhen: chunk.count == rowsPerInsert).execute(arguments: chunk.reduce(into: StatementArguments()) { $0 += $1.arguments })
            // One statement of the only writer: AUTOINCREMENT numbers its rows one after another,
            // in the order of its VALUES.
            let first = db.lastInsertedRowID - Int64(chunk.count) + 1
            if firstID == 0 { firstID = first }
            try feedRegistrations(db, chunk, firstID: first, unitCode: unitCode, actor: actor)
        }
        return firstID
    }

    /// One canonical text of the batch's content, for the idempotency check.
    private static func canonical(_ batch: DirectedBatch) -> String {
        ([batch.unitCode, "\(batch.category)"] + batch.rows.map {
            "\($0.number)\u{1F}\($0.name)\u{1F}\($0.idNumber.uppercased())\u{1F}\($0.phone ?? "")\u{1F}\($0.subcategory ?? "")"
        }).joined(separator: "\u{1E}")
    }

    // MARK: Volunteers

    /// A volunteer, with ID and phone numbers masked unless `unmasked`; an unmasked read is
    /// written to the audit log first.
    public func volunteer(id: Int64, unmasked: Bool, actor: String, requestID: String) async throws -> VolunteerRecord? {
        let cipher = self.cipher
        guard unmasked else {
            return try writer.readInline { db in try Self.fetchVolunteer(db, id: id, cipher: nil) }
        }
        return try await writer.write { db in
            let record = try Self.fetchVolunteer(db, id: id, cipher: cipher)
            if record != nil {
                try Self.audit(db, actor: actor, action: "registry.readUnmasked", target: "volunteer \(id)", requestID: requestID)
            }
            return record
        }
    }

    /// Volunteers with their team's name, the columns in `maskedRecord`'s order: read by
    /// position, as look-ups by column name cost more than the query on this hot path.
    static let volunteerSelect = """
        SELECT v.id, v.name, v.id_masked, v.phone_masked, v.birth_year, v.unit_code, v.category, v.subcategory, v.status, v.team_id,
               t.name, v.id_sealed, v.phone_sealed, v.birth_date_sealed
        FROM volunteers v LEFT JOIN teams t ON t.id = v.team_id
        """

    /// The same without the sealed columns, for masked answers: no blobs read and copied.
    static let maskedVolunteerSelect = """
        SELECT v.id, v.name, v.id_masked, v.phone_masked, v.birth_year, v.unit_code, v.category, v.subcategory, v.status, v.team_id,
               t.name
        FROM volunteers v LEFT JOIN teams t ON t.id = v.team_id
        """

    /// Reads one volunteer; opens the sealed numbers when given the cipher.
    static func fetchVolunteer(_ db: Database, id: Int64, cipher: PersonalDataCipher? = nil) throws -> VolunteerRecord? {
        let statement = try db.cachedStatement(sql: "\(cipher == nil ? maskedVolunteerSelect : volunteerSelect) WHERE v.id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        var record = maskedRecord(row)
        if let cipher {
            record.idNumber = try cipher.open([UInt8](row[11] as Data), field: idField)
            record.phone = try (row[12] as Data?).map { try cipher.open([UInt8]($0), field: phoneField) }
            record.birthDate = try (row[13] as Data?).flatMap { CalendarDay(iso: try cipher.open([UInt8]($0), field: birthDateField)) }
        }
        return record
    }

    /// One page of a search (masked) after `search`'s cursor, in its order, and whether more follow.
    /// Pages keep memory bounded and never hold a read transaction across a slow reader.
    public func searchVolunteers(_ search: VolunteerSearch) async throws -> (volunteers: [VolunteerRecord], more: Bool) {
        try await writer.read { db in
            var sql = "\(Self.maskedVolunteerSelect) WHERE "
            var arguments: StatementArguments = []
            let order: String
            if let prefix = search.namePrefix {
                // A range of the name index, in its (name, id) order: LIKE would not use the
                // index for non-ASCII text, and id order would sort every match for each page.
                sql += "v.name >= ? AND v.name < ? AND (v.name, v.id) > (?, ?)"
                arguments += [prefix, prefix + "\u{10FFFF}", search.afterName ?? "", search.after]
                order = "v.name, v.id"
            } else {
                sql += "v.id > ?"
                arguments += [search.after]
                order = "v.id"
            }
            if let unitCode = search.unitCode {
                sql += " AND v.unit_code = ?"
                arguments += [unitCode]
            }
            if let category = search.category {
                sql += " AND v.category = ?"
                arguments += [category]
            }
            if let status = search.status {
                sql += " AND v.status = ?"
                arguments += [status.rawValue]
            }
            if let teamID = search.teamID {
                sql += " AND v.team_id = ?"
                arguments += [teamID]
            }
            sql += " ORDER BY \(order) LIMIT ?"
            arguments += [search.pageSize + 1]
            // A handful of filter combinations: each compiled once, not per page.
            let rows = try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(Self.maskedRecord)
            return (Array(rows.prefix(search.pageSize)), rows.count > search.pageSize)
        }
    }

    private static func maskedRecord(_ row: Row) -> VolunteerRecord {
        VolunteerRecord(
            id: row[0], name: row[1], idNumber: row[2], phone: row[3], birthYear: row[4], birthDate: nil, unitCode: row[5],
            category: row[6], subcategory: row[7], status: row[8], teamID: row[9], teamName: row[10])
    }

    /// The volunteer with this ID number, found through its keyed hash.
    public func volunteerID(forIDNumber idNumber: String) async throws -> Int64? {
        let hash = cipher.keyedHash(idNumber.uppercased(), field: Self.idField)
        return try await writer.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM volunteers WHERE id_hash = ?", arguments: [Data(hash)]) }
    }

    /// Active volunteers by category and sub-category, for the town or one unit, from the
    /// tallies the triggers keep (a few rows per unit, whatever the number of volunteers).
    public func enrolmentCounts(unitCode: String?) async throws -> EnrolmentCounts {
        try await writer.read { db in
            let filter = unitCode == nil ? "" : " AND unit_code = ?"
            let arguments: StatementArguments = unitCode.map { [$0] } ?? []
            var counts = EnrolmentCounts()
            for row in try Row.fetchAll(db, sql: """
                SELECT category, subcategory, SUM(n) AS n FROM volunteer_tallies
                WHERE status = 'active'\(filter) GROUP BY category, subcategory
                """, arguments: arguments) {
                let n: Int = row["n"]
                guard n > 0 else { continue }
                counts.byCategory[row["category"], default: 0] += n
                let subcategory: String = row["subcategory"]
                if !subcategory.isEmpty { counts.bySubcategory[subcategory, default: 0] += n }
            }
            return counts
        }
    }

    /// Active volunteers by unit code, then category.
    public func enrolmentByUnit() async throws -> [String: [Int: Int]] {
        try await writer.read { db in
            var counts: [String: [Int: Int]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT unit_code, category, SUM(n) AS n FROM volunteer_tallies
                WHERE status = 'active' GROUP BY unit_code, category HAVING SUM(n) > 0
                """) {
                counts[row["unit_code"], default: [:]][row["category"]] = row["n"]
            }
            return counts
        }
    }

    public func volunteerCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(n), 0) FROM volunteer_tallies") ?? 0 }
    }

    // MARK: Audit

    static func audit(_ db: Database, actor: String, action: String, target: String, requestID: String) throws {
        try AuditLog.append(db, actor: actor, action: action, target: target, requestID: requestID)
    }

    /// The audit log, oldest first.
    public func auditLog() async throws -> [AuditEntry] {
        try await writer.read(AuditLog.entries)
    }

    /// The audit log, for the host's record of refused calls and the Audit RPC.
    public var auditTrail: AuditTrail { AuditTrail(writer) }

    /// What the host works with: the audit log and the database's health.
    public var handle: StoreHandle { StoreHandle(writer, health: health) }

    /// Runs raw SQL against the database, for tests that check what the schema enforces.
    func execute(sql: String) async throws {
        try await writer.write { db in try db.execute(sql: sql) }
    }

    static func timestamp() -> String {
        ServiceDatabase.timestamp()
    }
}

/// What a directed batch registered.
public struct BatchResult: Sendable, Hashable {
    public var batchID: String
    public var accepted: Int
    /// Volunteers of a batch get consecutive ids from here.
    public var firstVolunteerID: Int64
    /// True when this answer repeats an earlier submission of the same batch.
    public var replayed: Bool
}

/// A volunteer as the registry answers for it.
public struct VolunteerRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// Masked (`31**************3X`) unless read unmasked.
    public var idNumber: String
    public var phone: String?
    public var birthYear: Int
    /// Only in an unmasked read: with the district it would give the masked number away.
    public var birthDate: CalendarDay?
    public var unitCode: String
    public var category: Int
    public var subcategory: String?
    public var status: String
    public var teamID: Int64?
    public var teamName: String?
}

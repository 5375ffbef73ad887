import Foundation
import GRDB
import PinganProtocolContracts
import PinganRegistryContracts

/// A volunteer as the registry's change feed last described them: what a report groups and
/// filters by.
public struct ReplicaVolunteer: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var unitCode: String
    public var category: Int
    /// applied, committee_accepted, active, suspended, withdrawn, rejected
    public var status: String
    public var teamID: Int64?
    public var teamName: String?

    public init(id: Int64, name: String, unitCode: String, category: Int, status: String, teamID: Int64? = nil, teamName: String? = nil) {
        self.id = id
        self.name = name
        self.unitCode = unitCode
        self.category = category
        self.status = status
        self.teamID = teamID
        self.teamName = teamName
    }

    public init(_ volunteer: Pingan_Registry_V1_Volunteer) {
        self.init(id: volunteer.id, name: volunteer.name, unitCode: volunteer.unitCode, category: Int(volunteer.category), status: volunteer.status,
                  teamID: volunteer.teamID == 0 ? nil : volunteer.teamID, teamName: volunteer.teamName.isEmpty ? nil : volunteer.teamName)
    }
}

/// A place in the registry's feed: the last event a copy applied, and that event when known.
public struct FeedCursor: Sendable, Equatable {
    public var position: Int64
    public var event: Pingan_Feed_V1_ChangeEvent?

    public init(position: Int64, event: Pingan_Feed_V1_ChangeEvent? = nil) {
        self.position = position
        self.event = event
    }
}

/// The registry's volunteers copied into a service's own database, kept current from the
/// registry's change feed (`ReplicaFollower`), so that a report joins them with the service's
/// own rows in one query instead of asking the registry for every volunteer on every call.
///
/// A service that keeps one registers `createTables` as a migration of its own.
public struct VolunteerReplica: Sendable {
    let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// The copy's tables, as a service's migration: `registry_volunteers`, and `registry_copy`
    /// (one row: the copy's generation and the feed position it reflects, NULL until a copy is
    /// complete). Shipped (training v3, duty v7), so never edited: a change to the tables is a
    /// new function that both register as a migration after this one.
    public static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE registry_volunteers (
                id INTEGER PRIMARY KEY NOT NULL,
                name TEXT NOT NULL,
                unit_code TEXT NOT NULL,
                category INTEGER NOT NULL,
                status TEXT NOT NULL,
                team_id INTEGER,
                team_name TEXT,
                copy INTEGER NOT NULL
            );
            CREATE INDEX registry_volunteers_status ON registry_volunteers(status, unit_code, category);
            CREATE INDEX registry_volunteers_team ON registry_volunteers(team_id) WHERE team_id IS NOT NULL;
            CREATE TABLE registry_copy (generation INTEGER NOT NULL, position INTEGER);
            INSERT INTO registry_copy (generation, position) VALUES (0, NULL);
            """)
    }

    /// Keeps, beside the position, the feed event at it as the copy applied it (training v4,
    /// duty v8): a registry restored from a backup and changed again reaches the same numbers
    /// with other events, which the numbers alone cannot tell.
    public static func addPositionEvent(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE registry_copy ADD COLUMN position_event BLOB")
    }

    /// Where the copy is in the registry's feed, with the event at that position when the copy
    /// applied it (nil after a full copy, until the next event); nil while there is no complete copy.
    public func cursor() async throws -> FeedCursor? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT position, position_event FROM registry_copy"),
                  let position = row[0] as Int64? else { return nil }
            let event = try (row[1] as Data?).map { try Pingan_Feed_V1_ChangeEvent(serializedBytes: $0) }
            return FeedCursor(position: position, event: event)
        }
    }

    /// Starts a full copy: the position is forgotten (a report waits for the copy instead of
    /// reading a half-made one) and rows written from now on belong to a new generation.
    public func startCopy() async throws -> Int64 {
        try await writer.write { db in
            try db.execute(sql: "UPDATE registry_copy SET generation = generation + 1, position = NULL, position_event = NULL")
            return try Int64.fetchOne(db, sql: "SELECT generation FROM registry_copy") ?? 0
        }
    }

    /// Writes part of a full copy.
    public func copy(_ volunteers: [ReplicaVolunteer], generation: Int64) async throws {
        try await writer.write { db in
            for volunteer in volunteers { try Self.upsert(db, volunteer, generation: generation) }
        }
    }

    /// Ends a full copy taken after feed event `position`: a volunteer the copy did not include
    /// is no longer the registry's.
    public func finishCopy(generation: Int64, position: Int64) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM registry_volunteers WHERE copy <> ?", arguments: [generation])
            try db.execute(sql: "UPDATE registry_copy SET position = ?, position_event = NULL", arguments: [position])
        }
    }

    /// Applies registry feed events, oldest first, in one transaction with the position they
    /// bring the copy to. Each event carries its entity's state after the change, so an event
    /// applied again (one the copy already reflected) changes nothing once the later ones are.
    public func apply(_ events: [Pingan_Feed_V1_ChangeEvent]) async throws {
        guard let last = events.last else { return }
        let lastEvent = try last.serializedBytes() as [UInt8]
        try await writer.write { db in
            let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM registry_copy") ?? 0
            for event in events {
                switch event.stateType {
                case Pingan_Registry_V1_Volunteer.protoMessageName:
                    try Self.upsert(db, ReplicaVolunteer(try Pingan_Registry_V1_Volunteer(serializedBytes: event.state)), generation: generation)
                case Pingan_Registry_V1_Team.protoMessageName:
                    let team = try Pingan_Registry_V1_Team(serializedBytes: event.state)
                    try db.cachedStatement(sql: "UPDATE registry_volunteers SET team_name = ? WHERE team_id = ?").execute(arguments: [team.name, team.id])
                default:
                    continue  // nothing a report reads
                }
            }
            try db.execute(sql: "UPDATE registry_copy SET position = ?, position_event = ?", arguments: [last.sequence, Data(lastEvent)])
        }
    }

    /// How many volunteers the copy holds (for what a waiting report is told).
    public func count() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM registry_volunteers") ?? 0 }
    }

    private static func upsert(_ db: Database, _ volunteer: ReplicaVolunteer, generation: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO registry_volunteers (id, name, unit_code, category, status, team_id, team_name, copy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, unit_code = excluded.unit_code, category = excluded.category,
                status = excluded.status, team_id = excluded.team_id, team_name = excluded.team_name, copy = excluded.copy
            """).execute(arguments: [volunteer.id, volunteer.name, volunteer.unitCode, volunteer.category, volunteer.status,
                                     volunteer.teamID, volunteer.teamName, generation])
    }
}

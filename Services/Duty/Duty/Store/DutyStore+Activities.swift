import GRDB
import PinganCampaign
import PinganRules
import PinganStore

extension DutyStore {
    /// Records an activity of `volunteer`.
    ///
    /// - Throws: a `Refusal` for a bad place, hours or note; nothing is written.
    public func recordActivity(volunteer: DutyVolunteer, project: ServiceProject, day: CalendarDay, place: String, hours: Double, note: String,
                               actor: String, requestID: String, idempotency: IdempotencyKey? = nil) async throws -> ActivityRecord {
        let rules = ActivityRules.rules(place: place, hours: hours, note: note)
        guard rules.isEmpty else { throw Refusal("activity", rules) }
        return try await writer.write { db in
            let id = try IdempotencyKey.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                try Self.remember(db, volunteer)
                try db.execute(sql: """
                    INSERT INTO activities (volunteer_id, project, day, place, hours, note, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [volunteer.id, project.rawValue, day.description, place.trimmed, hours, note, actor, ServiceDatabase.timestamp()])
                let id = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "duty.recordActivity", target: "activity \(id): volunteer \(volunteer.id) on \(day)",
                                    requestID: requestID)
                return id
            }
            let row = try Row.fetchOne(db, sql: """
                SELECT a.*, v.unit_code FROM activities a JOIN volunteers v ON v.id = a.volunteer_id WHERE a.id = ?
                """, arguments: [id])!
            return ActivityRecord(id: id, volunteerID: row["volunteer_id"], project: ServiceProject(rawValue: row["project"])!,
                                  day: CalendarDay(iso: row["day"] as String)!, place: row["place"], hours: row["hours"], unitCode: row["unit_code"])
        }
    }

    /// A volunteer's activities on the days from `from` to `to`, in day order.
    public func activities(volunteerID: Int64, from: CalendarDay, to: CalendarDay) async throws -> [ActivityRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.volunteer_id, a.project, a.day, a.place, a.hours, v.unit_code FROM activities a JOIN volunteers v ON v.id = a.volunteer_id
                WHERE a.volunteer_id = ? AND a.day >= ? AND a.day <= ? ORDER BY a.day, a.id
                """, arguments: [volunteerID, from.description, to.description]).map { row in
                ActivityRecord(id: row[0], volunteerID: row[1], project: ServiceProject(rawValue: row[2]) ?? .publicity,
                               day: CalendarDay(iso: row[3] as String)!, place: row[4], hours: row[5], unitCode: row[6])
            }
        }
    }

    /// One activity of a sheet, checked.
    public struct SheetRow: Sendable, Hashable {
        public var volunteer: DutyVolunteer
        public var project: ServiceProject
        public var day: CalendarDay
        public var place: String
        public var hours: Double
        public var note: String

        public init(volunteer: DutyVolunteer, project: ServiceProject, day: CalendarDay, place: String, hours: Double, note: String) {
            self.volunteer = volunteer
            self.project = project
            self.day = day
            self.place = place
            self.hours = hours
            self.note = note
        }
    }

    /// Records a whole sheet in one transaction; the rows were checked before.
    ///
    /// - Returns: how many, and the first and last id (they run in between).
    public func recordActivities(_ rows: [SheetRow], actor: String, requestID: String,
                                 idempotency: IdempotencyKey? = nil) async throws -> (count: Int, first: Int64, last: Int64) {
        try await writer.write { db in
            let ids = try IdempotencyKey.once(db, idempotency, encode: { "\($0.0) \($0.1)" }, decode: { text -> (Int64, Int64)? in
                let parts = text.split(separator: " ").compactMap { Int64($0) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }) { () throws -> (Int64, Int64) in
                for volunteer in Set(rows.map(\.volunteer)) { try Self.remember(db, volunteer) }
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO activities (volunteer_id, project, day, place, hours, note, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let now = ServiceDatabase.timestamp()
                var first: Int64 = 0
                for row in rows {
                    try insert.execute(arguments: [row.volunteer.id, row.project.rawValue, row.day.description, row.place.trimmed, row.hours, row.note, actor, now])
                    if first == 0 { first = db.lastInsertedRowID }
                }
                let last = db.lastInsertedRowID
                try AuditLog.append(db, actor: actor, action: "duty.recordActivities", target: "\(rows.count) activities \(first)-\(last)", requestID: requestID)
                return (first, last)
            }
            return (Int(ids.1 - ids.0 + 1), ids.0, ids.1)
        }
    }

    /// Activities and hours per volunteer on the days from `from` to `to`.
    public func activityTotals(from: CalendarDay, to: CalendarDay) async throws -> [Int64: (activities: Int, hours: Double)] {
        try await writer.read { db in
            var totals: [Int64: (activities: Int, hours: Double)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT volunteer_id, COUNT(*) AS n, SUM(hours) AS h FROM activities WHERE day >= ? AND day <= ? GROUP BY volunteer_id
                """, arguments: [from.description, to.description]) {
                totals[row["volunteer_id"]] = (row["n"], row["h"])
            }
            return totals
        }
    }
}

/// What a volunteer did in a month, for allowances.
public struct VolunteerMonthRecord: Sendable, Hashable {
    /// One day of it.
    public struct Day: Sendable, Hashable {
        public var day: CalendarDay
        public var activities: Int
        public var activityHours: Double
        public var shifts: Int
        public var shiftHours: Double
    }

    public var volunteerID: Int64
    public var name: String
    public var unitCode: String
    public var activities: Int
    public var activityHours: Double
    public var shifts: Int
    public var shiftHours: Double
    public var days: [Day] = []
}

extension DutyStore {
    /// Up to `limit` volunteers after `afterVolunteerID`, in id order, with their activities
    /// on the days from `from` to `to` and the shifts starting then that were not cancelled and
    /// ended by `endedBy`.
    public func monthService(from: CalendarDay, to: CalendarDay, endedBy: LocalTime, afterVolunteerID: Int64, limit: Int) async throws -> [VolunteerMonthRecord] {
        try await writer.read { db in
            var records = try Row.fetchAll(db, sql: """
                WITH a AS (SELECT volunteer_id, COUNT(*) AS n, SUM(hours) AS h FROM activities
                           WHERE day >= ? AND day <= ? AND volunteer_id > ? GROUP BY volunteer_id),
                     s AS (SELECT volunteer_id, COUNT(*) AS n, SUM((julianday(ends_at) - julianday(starts_at)) * 24) AS h FROM shifts
                           WHERE status = 'assigned' AND starts_at >= ? AND starts_at < ? AND ends_at <= ? AND volunteer_id > ? GROUP BY volunteer_id),
                     ids AS (SELECT volunteer_id FROM a UNION SELECT volunteer_id FROM s ORDER BY volunteer_id LIMIT ?)
                SELECT ids.volunteer_id, v.name, v.unit_code, COALESCE(a.n, 0), COALESCE(a.h, 0), COALESCE(s.n, 0), COALESCE(s.h, 0)
                FROM ids JOIN volunteers v ON v.id = ids.volunteer_id
                LEFT JOIN a ON a.volunteer_id = ids.volunteer_id LEFT JOIN s ON s.volunteer_id = ids.volunteer_id
                ORDER BY ids.volunteer_id
                """, arguments: [from.description, to.description, afterVolunteerID,
                                 "\(from) 00:00", "\(to.next) 00:00", endedBy.description, afterVolunteerID, limit]).map { row in
                VolunteerMonthRecord(volunteerID: row[0], name: row[1], unitCode: row[2], activities: row[3],
                                     activityHours: row[4], shifts: row[5], shiftHours: (Double(row[6] as Double) * 60).rounded() / 60)
            }
            guard let firstID = records.first?.volunteerID, let lastID = records.last?.volunteerID else { return records }
            // Day by day for this page's volunteers (ids from first to last, in one range).
            var days: [Int64: [CalendarDay: VolunteerMonthRecord.Day]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT volunteer_id, day, COUNT(*), SUM(hours) FROM activities
                WHERE day >= ? AND day <= ? AND volunteer_id BETWEEN ? AND ? GROUP BY volunteer_id, day
                """, arguments: [from.description, to.description, firstID, lastID]) {
                let day = CalendarDay(iso: row[1] as String)!
                days[row[0], default: [:]][day] = VolunteerMonthRecord.Day(day: day, activities: row[2], activityHours: row[3], shifts: 0, shiftHours: 0)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT volunteer_id, substr(starts_at, 1, 10), COUNT(*), SUM((julianday(ends_at) - julianday(starts_at)) * 24) FROM shifts
                WHERE status = 'assigned' AND starts_at >= ? AND starts_at < ? AND ends_at <= ? AND volunteer_id BETWEEN ? AND ?
                GROUP BY volunteer_id, substr(starts_at, 1, 10)
                """, arguments: ["\(from) 00:00", "\(to.next) 00:00", endedBy.description, firstID, lastID]) {
                let day = CalendarDay(iso: row[1] as String)!
                var entry = days[row[0], default: [:]][day] ?? VolunteerMonthRecord.Day(day: day, activities: 0, activityHours: 0, shifts: 0, shiftHours: 0)
                entry.shifts = row[2]
                entry.shiftHours = (Double(row[3] as Double) * 60).rounded() / 60
                days[row[0], default: [:]][day] = entry
            }
            for index in records.indices {
                records[index].days = (days[records[index].volunteerID] ?? [:]).values.sorted { $0.day < $1.day }
            }
            return records
        }
    }
}

import Foundation
import GRDB
import PinganCampaign
import PinganRules
import PinganStore

extension RegistryStore {
    /// Records a public application at a residential committee, after checking eligibility.
    ///
    /// - Throws: `Refusal` with every failed rule (nothing is stored), or when the
    ///   person is already in the registry or the unit is not a residential committee.
    public func submitApplication(
        _ applicant: Applicant, phone: String?, unitCode: String, on date: CalendarDay, rules: EligibilityRules,
        actor: String, requestID: String, idempotency: IdempotencyKey? = nil
    ) async throws -> Int64 {
        let violations = Eligibility.evaluate(applicant, on: date, rules: rules)
        guard violations.isEmpty else { throw Refusal("application", violations) }
        let (identityKey, masked): (String, String) = switch applicant.identity {
        case .residentID(let text): (text.uppercased(), Masking.identityNumber(text.uppercased()))
        case .passport(let number, let country): ("P:\(country.uppercased()):\(number.uppercased())", Masking.identityNumber(number.uppercased()))
        }
        let hash = cipher.keyedHash(identityKey, field: Self.idField)
        let sealedID = cipher.seal(identityKey, field: Self.idField)
        let cleanPhone = phone.flatMap { $0.isEmpty ? nil : $0 }
        if let cleanPhone, !DirectedBatch.isMobileNumber(cleanPhone) {
            throw Refusal("application", [BrokenRule(field: "applicant.phone", rule: "PHONE", message: "must be an 11-digit mobile number starting with 1")])
        }
        let sealedPhone = cleanPhone.map { cipher.seal($0, field: Self.phoneField) }
        let (residency, since): (String, CalendarDay?) = switch applicant.residency {
        case .shanghaiHousehold: ("shanghai_household", nil)
        case .otherProvince(let day): ("other_province", day)
        case .foreign(let day): ("foreign", day)
        }
        return try await writer.write { db in
            try Self.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) {
                guard let kind = try String.fetchOne(db, sql: "SELECT kind FROM org_units WHERE code = ?", arguments: [unitCode]) else {
                    throw Refusal("application", [BrokenRule(field: "unitCode", rule: "UNKNOWN_UNIT", kind: .missing, message: "unit \(unitCode) does not exist")])
                }
                guard kind == OrgUnit.Kind.residentialCommittee.rawValue else {
                    throw Refusal("application", [BrokenRule(field: "unitCode", rule: "NOT_A_RESIDENTIAL_COMMITTEE",
                        message: "public applications are made at a residential committee; \(unitCode) is a \(kind)")])
                }
                if let existing = try Row.fetchOne(db, sql: "SELECT id, status FROM volunteers WHERE id_hash = ?", arguments: [Data(hash)]) {
                    throw Refusal("application", [BrokenRule(field: "applicant.idNumber", rule: "ALREADY_REGISTERED",
                        kind: .duplicate, message: "this person is already in the registry (volunteer \(existing["id"] as Int64), \(existing["status"] as String))")])
                }
                let now = Self.timestamp()
                try db.execute(sql: """
                    INSERT INTO volunteers (name, id_hash, id_sealed, id_masked, phone_sealed, phone_masked, birth_date, birth_year,
                                            birth_date_sealed, unit_code, category, subcategory, status, batch_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, 9, NULL, 'applied', NULL, ?)
                    """, arguments: [applicant.name.trimmed, Data(hash), Data(sealedID), masked, sealedPhone.map { Data($0) },
                                     cleanPhone.map(Masking.phoneNumber), applicant.birthDate.year,
                                     Data(cipher.seal(applicant.birthDate.description, field: Self.birthDateField)), unitCode, now])
                let id = db.lastInsertedRowID
                try db.execute(sql: """
                    INSERT INTO applications (volunteer_id, applied_on, residency, resident_since, age_waiver_reason) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [id, date.description, residency, since?.description, applicant.ageWaiver?.reason])
                try Self.record(db, volunteer: id, from: nil, to: .applied, on: date, actor: actor, reason: nil, requestID: requestID)
                try Self.audit(db, actor: actor, action: "registry.submitApplication", target: "volunteer \(id) at \(unitCode)", requestID: requestID)
                return id
            }
        }
    }

    /// Applies a decision to a volunteer or applicant and records it in the status history.
    ///
    /// - Parameter scope: a clerk's unit; a volunteer outside it is reported as not found.
    /// - Parameter day: the day the decision took effect, when recorded later (nil: today).
    /// - Returns: the new status, or nil if there is no such volunteer (in scope).
    public func decide(
        _ decision: StatusDecision, volunteerID: Int64, by decider: Decider, scope: String?, on day: CalendarDay? = nil, actor: String, requestID: String,
        idempotency: IdempotencyKey? = nil
    ) async throws -> VolunteerStatus? {
        try await writer.write { db in
            try Self.once(db, idempotency, encode: { $0?.rawValue ?? "" }, decode: { VolunteerStatus(rawValue: $0) }) {
                guard let row = try Row.fetchOne(db, sql: "SELECT status, unit_code FROM volunteers WHERE id = ?", arguments: [volunteerID]),
                      scope == nil || scope == row["unit_code"] as String,
                      let current = VolunteerStatus(rawValue: row["status"]) else { return nil }
                let next = try StatusTransitions.apply(decision, to: current, by: decider).mapError { Refusal("decision", $0) }.get()
                // A decision recorded later is not back-dated before what it decides on.
                if let day, let last = try String.fetchOne(db, sql: """
                    SELECT COALESCE(on_day, substr(at, 1, 10)) FROM status_history WHERE volunteer_id = ? ORDER BY seq DESC LIMIT 1
                    """, arguments: [volunteerID]), day.description < last {
                    throw Refusal("decision", BrokenRule(field: "decidedOn", rule: "BEFORE_LAST_CHANGE", kind: .state,
                                                        message: "\(day) is before the volunteer's last change, on \(last)"))
                }
                try db.execute(sql: "UPDATE volunteers SET status = ? WHERE id = ?", arguments: [next.rawValue, volunteerID])
                try Self.record(db, volunteer: volunteerID, from: current, to: next, on: day, actor: actor, reason: decision.reason, requestID: requestID)
                try Self.audit(db, actor: actor, action: "registry.decide", target: "volunteer \(volunteerID): \(current.rawValue) -> \(next.rawValue)",
                               requestID: requestID)
                return next
            }
        }
    }

    /// Runs `body` once per idempotency key, in the caller's transaction.
    static func once<T>(
        _ db: Database, _ key: IdempotencyKey?, encode: (T) -> String, decode: (String) -> T?, _ body: () throws -> T
    ) throws -> T {
        try IdempotencyKey.once(db, key, encode: encode, decode: decode, body)
    }

    /// A volunteer's status changes, oldest first.
    public func statusHistory(volunteerID: Int64) async throws -> [StatusChange] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM status_history WHERE volunteer_id = ? ORDER BY seq", arguments: [volunteerID]).map {
                StatusChange(at: $0["at"], on: ($0["on_day"] as String?).flatMap { CalendarDay(iso: $0) }, from: ($0["from_status"] as String?).flatMap(VolunteerStatus.init(rawValue:)),
                             to: VolunteerStatus(rawValue: $0["to_status"])!, actor: $0["actor"], reason: $0["reason"])
            }
        }
    }

    private static func record(
        _ db: Database, volunteer: Int64, from: VolunteerStatus?, to: VolunteerStatus, on day: CalendarDay?, actor: String, reason: String?, requestID: String
    ) throws {
        try db.execute(sql: """
            INSERT INTO status_history (volunteer_id, at, from_status, to_status, actor, reason, request_id, on_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [volunteer, timestamp(), from?.rawValue, to.rawValue, actor, reason, requestID, day?.description])
        try feedVolunteer(db, id: volunteer, action: from == nil ? "applied" : "status_changed", actor: actor)
    }
}

/// One entry of a volunteer's status history.
public struct StatusChange: Sendable, Hashable {
    public var at: String
    /// The day it took effect, when recorded apart from `at`.
    public var on: CalendarDay?
    public var from: VolunteerStatus?
    public var to: VolunteerStatus
    public var actor: String
    public var reason: String?
}

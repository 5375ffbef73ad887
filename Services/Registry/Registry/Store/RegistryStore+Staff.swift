import GRDB
import PinganRules
import PinganStore

extension RegistryStore {
    /// Gives a person a staff role at a unit.
    ///
    /// - Throws: `Refusal` with every problem; nothing is written.
    public func assignStaffRole(
        unitCode: String, personName: String, role: StaffRole, actor: String, requestID: String, idempotency: IdempotencyKey? = nil
    ) async throws -> StaffAssignment {
        try await writer.write { db in
            let id = try Self.once(db, idempotency, encode: { String($0) }, decode: { Int64($0) }) { () throws -> Int64 in
                guard let kind = try String.fetchOne(db, sql: "SELECT kind FROM org_units WHERE code = ?", arguments: [unitCode])
                    .flatMap(OrgUnit.Kind.init(rawValue:)) else {
                    throw Refusal("staff role", [BrokenRule(field: "unitCode", rule: "UNKNOWN_UNIT", kind: .missing, message: "unit \(unitCode) does not exist")])
                }
                let violations = StaffRules.check(personName: personName, role: role, unitKind: kind,
                                                  current: try Self.staff(db, where: "unit_code = ? AND ended_at IS NULL", [unitCode]))
                guard violations.isEmpty else { throw Refusal("staff role", violations) }
                try db.execute(sql: "INSERT INTO staff_roles (unit_code, person_name, role, assigned_at) VALUES (?, ?, ?, ?)",
                               arguments: [unitCode, personName.trimmed, role.rawValue, Self.timestamp()])
                let id = db.lastInsertedRowID
                try Self.audit(db, actor: actor, action: "registry.assignStaffRole",
                               target: "staff \(id): \(personName.trimmed) as \(role.rawValue) at \(unitCode)", requestID: requestID)
                return id
            }
            return try Self.staff(db, where: "id = ?", [id])[0]
        }
    }

    /// Ends an assignment; it stays on record with the reason. Nil if there is no such assignment.
    public func endStaffRole(id: Int64, reason: String, actor: String, requestID: String) async throws -> StaffAssignment? {
        try await writer.write { db in
            guard let current = try Self.staff(db, where: "id = ?", [id]).first else { return nil }
            guard current.endedAt == nil else {
                throw Refusal("ending the staff role", [BrokenRule(field: "id", rule: "ALREADY_ENDED", kind: .state, message: "assignment \(id) ended at \(current.endedAt ?? "")")])
            }
            guard !reason.allSatisfy(\.isWhitespace) else {
                throw Refusal("ending the staff role", [BrokenRule(field: "reason", rule: "REASON_REQUIRED", message: "ending an assignment needs a reason")])
            }
            try db.execute(sql: "UPDATE staff_roles SET ended_at = ?, end_reason = ? WHERE id = ?", arguments: [Self.timestamp(), reason.trimmed, id])
            try Self.audit(db, actor: actor, action: "registry.endStaffRole",
                           target: "staff \(id): \(current.personName) as \(current.role.rawValue) at \(current.unitCode)", requestID: requestID)
            return try Self.staff(db, where: "id = ?", [id]).first
        }
    }

    /// Current assignments, of one unit or all, in id order.
    public func staff(unitCode: String?) async throws -> [StaffAssignment] {
        try await writer.read { db in
            try unitCode.map { try Self.staff(db, where: "unit_code = ? AND ended_at IS NULL", [$0]) }
                ?? Self.staff(db, where: "ended_at IS NULL", [])
        }
    }

    private static func staff(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [StaffAssignment] {
        try Row.fetchAll(db, sql: "SELECT * FROM staff_roles WHERE \(condition) ORDER BY id", arguments: arguments).map {
            StaffAssignment(id: $0["id"], unitCode: $0["unit_code"], personName: $0["person_name"], role: StaffRole(rawValue: $0["role"])!,
                            assignedAt: $0["assigned_at"], endedAt: $0["ended_at"], endReason: $0["end_reason"])
        }
    }
}

import Foundation
import GRDB
import PinganRegistryContracts
import PinganStore

extension RegistryStore {
    /// Records a change of volunteer `id` in the feed, in the caller's transaction, with the
    /// volunteer as an ordinary (masked) read answers it: the feed never holds a full number.
    static func feedVolunteer(_ db: Database, id: Int64, action: String, actor: String) throws {
        guard let record = try fetchVolunteer(db, id: id) else { return }
        try feedVolunteer(db, record, action: action, actor: actor)
    }

    /// Records a change of a volunteer whose masked state the caller has at hand.
    static func feedVolunteer(_ db: Database, _ record: VolunteerRecord, action: String, actor: String) throws {
        try ChangeFeed.record(db, kind: "volunteer", entityID: String(record.id), action: action, unitCode: record.unitCode, actor: actor,
                              stateType: Pingan_Registry_V1_Volunteer.protoMessageName,
                              state: try RegistryService.message(record).serializedData())
    }
}

extension RegistryStore {
    /// Records the registration of prepared rows, now volunteers `firstID`, `firstID + 1`, ...:
    /// protobuf writes fields by number, so the id's field (1) before the state prepared
    /// without it is the message.
    static func feedRegistrations(_ db: Database, _ rows: ArraySlice<PreparedRow>, firstID: Int64, unitCode: String, actor: String) throws {
        try ChangeFeed.record(db, rows.enumerated().map { offset, row in
            let id = firstID + Int64(offset)
            var idOnly = Pingan_Registry_V1_Volunteer()
            idOnly.id = id
            return ChangeFeed.Change(kind: "volunteer", entityID: String(id), action: "registered", unitCode: unitCode, actor: actor,
                                     stateType: Pingan_Registry_V1_Volunteer.protoMessageName, state: try idOnly.serializedData() + row.stateWithoutID)
        })
    }
}

extension RegistryStore {
    /// Records a team's creation or change (its name, its leader): members' events carry the
    /// team's name, so a copy of them learns a new name from this one.
    static func feedTeam(_ db: Database, id: Int64, action: String, actor: String) throws {
        guard let team = try teams(db, where: "t.id = ?", [id]).first else { return }
        try ChangeFeed.record(db, kind: "team", entityID: String(id), action: action, unitCode: team.unitCode, actor: actor,
                              stateType: Pingan_Registry_V1_Team.protoMessageName, state: try RegistryService.message(team).serializedData())
    }
}

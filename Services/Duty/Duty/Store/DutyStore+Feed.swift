import GRDB
import PinganCampaign
import PinganDutyContracts
import PinganStore

extension DutyStore {
    /// Records a change of shift `id` in the feed, in the caller's transaction.
    static func feedShift(_ db: Database, id: Int64, action: String, actor: String) throws {
        guard let shift = try shifts(db, where: "s.id = ?", [id]).first else { return }
        try ChangeFeed.record(db, kind: "shift", entityID: String(id), action: action, unitCode: shift.unitCode, actor: actor,
                              stateType: Pingan_Duty_V1_Shift.protoMessageName, state: try DutyService.message(shift).serializedData())
    }

    /// Records a step of hazard `id` in the feed, as the hazard stands on `day`.
    static func feedHazard(_ db: Database, id: Int64, action: String, on day: CalendarDay, actor: String) throws {
        guard let hazard = try hazards(db, where: "id = ?", [id]).first else { return }
        try ChangeFeed.record(db, kind: "hazard", entityID: String(id), action: action, unitCode: hazard.unitCode, actor: actor,
                              stateType: Pingan_Duty_V1_Hazard.protoMessageName, state: try DutyService.message(hazard, on: day).serializedData())
    }
}

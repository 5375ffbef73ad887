@testable import Duty
import Foundation
import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRPCTesting
import Synchronization
import Testing

/// Rotas: a team's weekly pattern in one call, all or nothing.
extension DutyServiceTests {
    static func rota(_ post: String, _ from: String, _ to: String, _ slots: [(Int64, Int32, String, String)]) -> Pingan_Duty_V1_AssignRotaRequest {
        var request = Pingan_Duty_V1_AssignRotaRequest()
        request.postCode = post
        request.from = from
        request.to = to
        request.slots = slots.map { volunteer, weekday, starts, ends in
            var slot = Pingan_Duty_V1_RotaSlot()
            slot.volunteerID = volunteer
            slot.weekday = weekday
            slot.starts = starts
            slot.ends = ends
            return slot
        }
        return request
    }

    @Test("a rota: a team on a weekly pattern for a month in one call, training asked once per day; sent again, assigned once")
    func rotaAssigns() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        let client = fixture.client()
        // Volunteers 1-7, one a weekday, 19:00 to 22:00; 2010-05-01 was a Saturday.
        let request = Self.rota("JC-001-P1", "2010-05-01", "2010-05-31", (1...7).map { (Int64($0), Int32($0), "19:00", "22:00") })
        var options = CallOptions()
        options.metadata.idempotencyKey = "rota-may"
        let result = try await client.assignRota(request, options: options)
        #expect(result.assigned == 31 && result.lastShiftID - result.firstShiftID == 30)
        #expect(fixture.directory.batchCalls.withLock { $0 } == 31)
        var saturdays = Pingan_Duty_V1_ListShiftsRequest()
        saturdays.volunteerID = 6
        #expect(try await client.listShifts(saturdays).shifts.map(\.starts) == ["2010-05-01 19:00", "2010-05-08 19:00", "2010-05-15 19:00", "2010-05-22 19:00", "2010-05-29 19:00"])
        let again = try await client.assignRota(request, options: options)
        #expect(again == result)

        // A night slot ending after midnight, and a slot overlapping it within the rota.
        let night = try await client.assignRota(Self.rota("JC-001-P1", "2010-06-01", "2010-06-07", [(8, 2, "22:00", "06:00")]))
        #expect(night.assigned == 1)
        let clash = await Self.refusal {
            _ = try await client.assignRota(Self.rota("JC-001-P1", "2010-06-08", "2010-06-14", [(9, 2, "22:00", "06:00"), (9, 3, "05:00", "08:00")]))
        }
        #expect(clash?.details?.fieldViolations.map(\.field) == ["slots[1]"] && clash?.details?.fieldViolations.first?.rule == "OVERLAPPING_SHIFT")
    }

    @Test("a rota is all or nothing: a suspended volunteer, a qualification that expires mid-month and a clash on record are all listed, and nothing is assigned")
    func rotaAllOrNothing() async throws {
        // Volunteer 3's training no longer counts from 2010-05-20.
        let fixture = try Self.fixture { volunteer, day in volunteer == 3 && day >= CalendarDay(iso: "2010-05-20")! ? ["PQ-01"] : [] }
        try await Self.patrolPost(fixture)
        try await Self.patrolPost(fixture, code: "JC-001-P2")
        let client = fixture.client()
        _ = try await client.assignShift(Self.shift("JC-001-P2", 2, "2010-05-04 20:00", "2010-05-04 23:00"))
        // 2010-05 Mondays: 3, 10, 17, 24, 31; Tuesdays: 4, 11, 18, 25.
        let refusal = await Self.refusal {
            _ = try await client.assignRota(Self.rota("JC-001-P1", "2010-05-01", "2010-05-31",
                                                      [(3, 1, "19:00", "22:00"), (2, 2, "19:00", "22:00"), (99, 3, "19:00", "22:00"), (1, 4, "19:00", "22:00")]))
        }
        let violations = refusal?.details?.fieldViolations ?? []
        #expect(refusal?.code == .failedPrecondition)
        #expect(violations.filter { $0.rule == "NOT_ACTIVE" }.map(\.field) == ["slots[2].volunteer_id"])
        #expect(violations.filter { $0.rule == "NOT_QUALIFIED" }.map { String($0.description.prefix(16)) } == ["2010-05-24 19:00", "2010-05-31 19:00"])
        #expect(violations.filter { $0.rule == "OVERLAPPING_SHIFT" }.map(\.field) == ["slots[1]"])
        #expect(violations.count == 4)
        var volunteerOne = Pingan_Duty_V1_ListShiftsRequest()
        volunteerOne.volunteerID = 1
        #expect(try await client.listShifts(volunteerOne).shifts.isEmpty, "nothing of the refused rota was assigned")

        let otherUnit = await Self.refusal {
            _ = try await fixture.client(.coordinator, unit: "JC-002").assignRota(Self.rota("JC-001-P1", "2010-06-01", "2010-06-07", [(21, 1, "19:00", "22:00")]))
        }
        #expect(otherUnit?.code == .notFound)
        let outsider = await Self.refusal {
            _ = try await fixture.client(.coordinator, unit: "JC-001").assignRota(Self.rota("JC-001-P1", "2010-06-01", "2010-06-07", [(21, 1, "19:00", "22:00")]))
        }
        #expect(outsider?.details?.fieldViolations.map(\.rule) == ["UNKNOWN_VOLUNTEER"], "a JC-002 volunteer is not in a JC-001 coordinator's scope")
        let bad = await Self.refusal {
            _ = try await client.assignRota(Self.rota("JC-001-P1", "2010-06-01", "2010-12-31", [(1, 8, "25:00", "22:00")]))
        }
        #expect(bad?.code == .invalidArgument && bad?.details?.fieldViolations.map(\.rule) == ["ROTA_PERIOD", "WEEKDAY", "TIME_OF_DAY"])
    }
}

@testable import Duty
import Foundation
import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRPCTesting
import Synchronization
import Testing

/// Patrol rounds: check-ins against the route, and the duty office's stream of missed checkpoints.
extension DutyServiceTests {
    /// A campaign clock the test moves by hand; the stream looks again every 10 ms.
    final class HandClock: Sendable {
        let time: Mutex<LocalTime>

        init(_ text: String) { time = Mutex(LocalTime(text)!) }

        func set(_ text: String) { time.withLock { $0 = LocalTime(text)! } }

        var clock: DutyClock { DutyClock(now: { self.time.withLock { $0 } }, watchInterval: .milliseconds(10)) }
    }

    static func checkIn(_ shift: Int64, _ checkpoint: String, _ at: String) -> Pingan_Duty_V1_CheckInRequest {
        var request = Pingan_Duty_V1_CheckInRequest()
        request.shiftID = shift
        request.checkpoint = checkpoint
        request.at = at
        return request
    }

    @Test("check-ins: on time and late against the route, a repeated scan keeps the first time, an unknown checkpoint and another unit's shift are refused; the round lists what was missed")
    func checkIns() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)  // 南门 +0, 三号楼 +15, 北门 +30
        let client = fixture.client()
        let shift = try await client.assignShift(Self.shift("JC-001-P1", 1, "2010-05-01 19:00", "2010-05-01 22:00"))

        let first = try await client.checkIn(Self.checkIn(shift.id, "南门", "2010-05-01 19:05"))
        #expect(first.checkpoints.map(\.state) == ["on_time", "due", "due"] && !first.alreadyRecorded)
        let late = try await client.checkIn(Self.checkIn(shift.id, "三号楼", "2010-05-01 19:26"))
        #expect(late.checkpoints.map(\.state) == ["on_time", "late", "due"] && late.late == 1)
        let again = try await client.checkIn(Self.checkIn(shift.id, "南门", "2010-05-01 19:50"))
        #expect(again.alreadyRecorded && again.checkpoints[0].checkedAt == "2010-05-01 19:05")

        let unknown = await Self.refusal { _ = try await client.checkIn(Self.checkIn(shift.id, "西门", "2010-05-01 19:30")) }
        #expect(unknown?.details?.fieldViolations.map(\.rule) == ["UNKNOWN_CHECKPOINT"] && unknown?.message.contains("南门, 三号楼, 北门") == true)
        let outside = await Self.refusal { _ = try await client.checkIn(Self.checkIn(shift.id, "北门", "2010-05-01 22:01")) }
        #expect(outside?.code == .failedPrecondition && outside?.details?.fieldViolations.map(\.rule) == ["OUTSIDE_SHIFT"])
        let badTime = await Self.refusal { _ = try await client.checkIn(Self.checkIn(shift.id, "北门", "19:30")) }
        #expect(badTime?.code == .invalidArgument && badTime?.message.hasPrefix("at:") == true)
        let otherUnit = await Self.refusal {
            _ = try await fixture.client(.clerk, unit: "JC-002").checkIn(Self.checkIn(shift.id, "北门", "2010-05-01 19:30"))
        }
        #expect(otherUnit?.code == .notFound)

        var rounds = Pingan_Duty_V1_ListRoundsRequest()
        rounds.postCode = "JC-001-P1"
        rounds.from = "2010-05-01"
        rounds.to = "2010-05-01"
        rounds.asOf = "2010-05-01 19:41"
        let listed = try await client.listRounds(rounds)
        #expect(listed.rounds.count == 1)
        #expect(listed.rounds.first.map { [$0.late, $0.missed] } == [1, 1] && listed.rounds.first?.complete == false)
        #expect(listed.rounds.first?.checkpoints.map(\.state) == ["on_time", "late", "missed"])
    }

    @Test("the missed-checkpoint stream: what was missed since the caller asked, then each miss as its grace passes, once; a check-in in time is never sent",
          .timeLimit(.minutes(1)))
    func missedCheckpointStream() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)  // 南门 +0, 三号楼 +15, 北门 +30
        try await Self.patrolPost(fixture, code: "JC-002-P1", unit: "JC-002")
        let hand = HandClock("2010-05-01 19:12")
        let client = fixture.client(clock: hand.clock)
        let shift = try await client.assignShift(Self.shift("JC-001-P1", 1, "2010-05-01 19:00", "2010-05-01 22:00"))
        _ = try await client.assignShift(Self.shift("JC-002-P1", 21, "2010-05-01 19:00", "2010-05-01 22:00"))
        _ = try await client.checkIn(Self.checkIn(shift.id, "三号楼", "2010-05-01 19:20"))

        var watch = Pingan_Duty_V1_WatchMissedCheckpointsRequest()
        watch.since = "2010-05-01 19:00"
        // A JC-001 clerk's stream: JC-002's misses are not theirs.
        let stream = try await fixture.client(.clerk, unit: "JC-001", clock: hand.clock).watchMissedCheckpoints(watch)
        var misses = stream.makeAsyncIterator()
        let missedAlready = try #require(try await misses.next())
        #expect(missedAlready.checkpoint == "南门" && missedAlready.missedAt == "2010-05-01 19:10" && missedAlready.shift.id == shift.id)
        hand.set("2010-05-01 19:41")
        let missedLater = try #require(try await misses.next())
        #expect(missedLater.checkpoint == "北门" && missedLater.expected == "2010-05-01 19:30", "三号楼 was checked in and is never sent")

        var otherUnit = watch
        otherUnit.unitCode = "JC-002"
        let denied = await Self.refusal { _ = try await fixture.client(.clerk, unit: "JC-001", clock: hand.clock).watchMissedCheckpoints(otherUnit).first { _ in true } }
        #expect(denied?.code == .permissionDenied)
        var tooOld = watch
        for since in ["2010-04-30 19:40", "0001-01-01 00:00"] {
            tooOld.since = since
            let old = await Self.refusal { _ = try await client.watchMissedCheckpoints(tooOld).first { _ in true } }
            #expect(old?.code == .invalidArgument && old?.message.hasPrefix("since:") == true, "\(since)")
        }
    }
}

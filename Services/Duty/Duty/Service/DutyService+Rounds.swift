import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRules

extension DutyService {
    // MARK: Patrol rounds

    func checkIn(_ request: Pingan_Duty_V1_CheckInRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_Round {
        let at = try Self.time(request.at, field: "at")
        guard let (round, alreadyRecorded) = try await store.checkIn(shiftID: request.shiftID, checkpoint: request.checkpoint, at: at,
                                                                     scope: context.caller?.unitScope, actor: context.actor,
                                                                     requestID: context.requestID) else {
            throw RPCError(.notFound, "shift_id: shift \(request.shiftID) does not exist in your scope")
        }
        var answer = Self.message(round, judgedAt: at)
        answer.alreadyRecorded = alreadyRecorded
        return answer
    }

    func listRounds(_ request: Pingan_Duty_V1_ListRoundsRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_RoundList {
        guard (request.volunteerID != 0) != !request.postCode.isEmpty else {
            throw RPCError(.invalidArgument, "volunteer_id, post_code: give one of the two")
        }
        guard let from = try Self.day(request.from, field: "from"), let to = try Self.day(request.to, field: "to") else {
            throw RPCError(.invalidArgument, "from, to: required")
        }
        guard from <= to, sequence(first: from, next: { $0.next }).prefix(Self.maximumCoverageDays).contains(to) else {
            throw RPCError(.invalidArgument, "to: the period runs from \(from) to \(to); it must be 1-\(Self.maximumCoverageDays) days")
        }
        let asOf = request.asOf.isEmpty ? clock.now() : try Self.time(request.asOf, field: "as_of")
        let rounds = try await store.rounds(volunteerID: request.volunteerID == 0 ? nil : request.volunteerID,
                                            postCode: request.postCode.isEmpty ? nil : request.postCode, from: from, to: to,
                                            scope: context.caller?.unitScope)
        var list = Pingan_Duty_V1_RoundList()
        list.rounds = rounds.map { Self.message($0, judgedAt: asOf) }
        list.asOf = asOf.description
        return list
    }

    /// The longest a caller may look back when the stream opens.
    static let watchLookBackMinutes = 24 * 60

    /// Sends every checkpoint whose grace ended in [since, now), then looks again every
    /// `clock.watchInterval` for those whose grace ended since the last look: each missed
    /// checkpoint is sent once, in the order they became missed. Ends when the caller cancels,
    /// the deadline passes, or the server drains.
    func watchMissedCheckpoints(_ request: Pingan_Duty_V1_WatchMissedCheckpointsRequest, _ writer: ServerStreamWriter<Pingan_Duty_V1_MissedCheckpoint>,
                                _ context: ServerContext) async throws {
        let unit = try context.unitScope(asked: request.unitCode)
        let opened = clock.now()
        var from = request.since.isEmpty ? opened : try Self.time(request.since, field: "since")
        // The day test first: counting the minutes walks the days, and `since` may be years back.
        guard from >= opened || (from.day >= opened.day.previous && from.minutes(until: opened) <= Self.watchLookBackMinutes) else {
            throw RPCError(.invalidArgument, "since: \(from) is more than 24 hours before now (\(opened)); ListRounds answers for older rounds")
        }
        while true {
            let now = clock.now()
            if from < now {
                var missed: [(point: PatrolRound.Point, shift: ShiftRecord)] = []
                for round in try await store.rounds(deadlinesFrom: from, before: now, unitCode: unit) {
                    for point in round.judged(at: now).points where point.state == .missed && from <= point.deadline && point.deadline < now {
                        missed.append((point, round.shift))
                    }
                }
                missed.sort { ($0.point.deadline, $0.shift.id, $0.point.position) < ($1.point.deadline, $1.shift.id, $1.point.position) }
                for (point, shift) in missed {
                    var message = Pingan_Duty_V1_MissedCheckpoint()
                    message.shift = Self.message(shift)
                    message.checkpoint = point.name
                    message.expected = point.expected.description
                    message.missedAt = point.deadline.description
                    try await writer.write(message)
                }
                from = now
            }
            try await Task.sleep(for: clock.watchInterval)
        }
    }

    static func message(_ round: RoundRecord, judgedAt now: LocalTime) -> Pingan_Duty_V1_Round {
        let judged = round.judged(at: now)
        var message = Pingan_Duty_V1_Round()
        message.shift = Self.message(round.shift)
        message.checkpoints = judged.points.map { point in
            var checkpoint = Pingan_Duty_V1_RoundCheckpoint()
            checkpoint.name = point.name
            checkpoint.expected = point.expected.description
            checkpoint.checkedAt = point.checkedAt?.description ?? ""
            checkpoint.state = point.state.rawValue
            return checkpoint
        }
        message.complete = judged.isComplete
        message.late = Int32(judged.points.count { $0.state == .late })
        message.missed = Int32(judged.points.count { $0.state == .missed })
        return message
    }

    /// A "YYYY-MM-DD HH:MM" field, or INVALID_ARGUMENT naming it.
    static func time(_ text: String, field: String) throws -> LocalTime {
        guard let time = LocalTime(text) else { throw RPCError(.invalidArgument, "\(field): '\(text.prefix(32))' is not a time (YYYY-MM-DD HH:MM)") }
        return time
    }
}

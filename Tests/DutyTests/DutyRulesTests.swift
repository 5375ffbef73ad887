import Duty
import PinganCampaign
import PinganRules
import Testing

@Suite("Duty's rules, without a store or a network")
struct DutyRulesTests {
    static func time(_ text: String) -> LocalTime { LocalTime(text)! }

    @Test("overlap at exact boundaries: touching ends do not overlap, one shared minute does", arguments: [
        ("2010-05-01 08:00", "2010-05-01 12:00", false),  // ends as the other starts
        ("2010-05-01 20:00", "2010-05-02 08:00", false),  // starts as the other ends
        ("2010-05-01 11:59", "2010-05-01 13:00", true),
        ("2010-05-01 19:00", "2010-05-01 20:01", true),
        ("2010-05-01 13:00", "2010-05-01 14:00", true),   // inside
        ("2010-05-01 07:00", "2010-05-01 21:00", true),   // around
    ])
    func overlap(_ starts: String, _ ends: String, _ overlaps: Bool) {
        let existing = [(id: Int64(7), starts: Self.time("2010-05-01 12:00"), ends: Self.time("2010-05-01 20:00"))]
        let clash = ShiftRules.overlap((Self.time(starts), Self.time(ends)), with: existing)
        #expect((clash != nil) == overlaps)
        if let clash { #expect(clash.rule == "OVERLAPPING_SHIFT" && clash.kind == .state && clash.message.contains("shift 7")) }
    }

    @Test("a shift's window: times, order, at most 24 hours", arguments: [
        ("2010-05-01 08:00", "2010-05-01 08:00", ["ENDS_BEFORE_START"]),
        ("2010-05-01 08:00", "2010-05-02 08:01", ["SHIFT_TOO_LONG"]),
        ("May 1", "2010-05-01 08:00", ["TIME"]),
        ("2010-05-01 08:00", "2010-05-02 08:00", []),
    ])
    func window(_ starts: String, _ ends: String, _ rules: [String]) {
        switch ShiftRules.window(starts: starts, ends: ends) {
        case .success: #expect(rules.isEmpty)
        case .failure(let refusal): #expect(refusal.rules.map(\.rule) == rules)
        }
    }

    @Test("every illegal hazard move is refused naming the allowed one", arguments: HazardStatus.allCases)
    func illegalTransitions(_ from: HazardStatus) {
        for to in HazardStatus.allCases.dropFirst() where !from.next.contains(to) {
            let step = HazardStep(to: to.rawValue, department: "消防科", dueOn: "2010-06-30", on: "2010-06-01")
            guard case .failure(let refusal) = HazardWorkflow.apply(step, from: from, reportedOn: CalendarDay(iso: "2010-05-20")!) else {
                Issue.record("\(from) -> \(to) was allowed"); continue
            }
            #expect(refusal.rules.map(\.rule) == ["ILLEGAL_TRANSITION"])
            #expect(refusal.kind == .state)
            let allowed = from.next.first?.rawValue ?? "nothing: it is verified"
            #expect(refusal.rules[0].message.contains(allowed))
        }
    }

    @Test("the legal path: a referral needs a department and a due date not before it; overdue once the date has passed and it is open")
    func legalPath() throws {
        let reported = CalendarDay(iso: "2010-05-20")!
        let missing = HazardWorkflow.apply(HazardStep(to: "referred", on: "2010-05-21"), from: .reported, reportedOn: reported)
        #expect((try? missing.get()) == nil)
        if case .failure(let refusal) = missing { #expect(refusal.rules.map(\.rule) == ["DEPARTMENT_REQUIRED", "DUE_DATE_REQUIRED"]) }
        let early = HazardWorkflow.apply(HazardStep(to: "referred", department: "d", dueOn: "2010-05-20", on: "2010-05-21"), from: .reported, reportedOn: reported)
        if case .failure(let refusal) = early { #expect(refusal.rules.map(\.rule) == ["DUE_BEFORE_REFERRAL"]) } else { Issue.record("allowed") }
        let referred = try HazardWorkflow.apply(HazardStep(to: "referred", department: " 派出所 ", dueOn: "2010-05-31", on: "2010-05-21"),
                                                from: .reported, reportedOn: reported).get()
        #expect(referred.status == .referred && referred.department == "派出所" && referred.dueOn == CalendarDay(iso: "2010-05-31"))
        let due = CalendarDay(iso: "2010-05-31")!
        #expect(!HazardWorkflow.isOverdue(status: .rectifying, dueOn: due, on: due), "due today is not overdue")
        #expect(HazardWorkflow.isOverdue(status: .rectifying, dueOn: due, on: due.next))
        #expect(!HazardWorkflow.isOverdue(status: .rectified, dueOn: due, on: due.next), "rectified is no longer open")
    }

    @Test("the monthly minimum across the April/May boundary: 1 before the Expo, 2 during it")
    func phaseMinimums() {
        let april = MonthlyCompliance(month: MonthlyCompliance.firstDay(of: "2010-04")!, calendar: .expo2010)
        let may = MonthlyCompliance(month: MonthlyCompliance.firstDay(of: "2010-05")!, calendar: .expo2010)
        #expect(april.minimum == 1 && may.minimum == 2)
        #expect(april.lastDay == CalendarDay(iso: "2010-04-30"))
        #expect(april.isCompliant(activities: 1) && !may.isCompliant(activities: 1) && may.isCompliant(activities: 2))
        #expect(MonthlyCompliance.firstDay(of: "2010-5") == nil && MonthlyCompliance.firstDay(of: "2010-13") == nil)
    }

    @Test("a post: a patrol has a route of ordered checkpoints from 0; other projects have none")
    func posts() {
        let route = [Checkpoint(name: "南门", minutesFromStart: 0), Checkpoint(name: "北门", minutesFromStart: 20)]
        #expect((try? PostDraft(code: "JC-001-P1", project: "patrol", unitCode: "JC-001", place: "一号小区", duty: "夜巡", route: route).validated().get()) == .patrol)
        let cases: [(PostDraft, [String])] = [
            (PostDraft(code: "P", project: "patrol", unitCode: "U", place: "p", duty: "d", route: []), ["ROUTE_REQUIRED"]),
            (PostDraft(code: "P", project: "patrol", unitCode: "U", place: "p", duty: "d",
                       route: [Checkpoint(name: "a", minutesFromStart: 5), Checkpoint(name: "", minutesFromStart: 5)]),
             ["ROUTE_START", "CHECKPOINT_NAME", "ROUTE_ORDER"]),
            (PostDraft(code: "P", project: "publicity", unitCode: "U", place: "p", duty: "d", route: route), ["ROUTE_NOT_PATROL"]),
            (PostDraft(code: "", project: "guarding", unitCode: "", place: "", duty: ""), ["POST_CODE", "UNIT_REQUIRED", "PLACE", "DUTY", "UNKNOWN_PROJECT"]),
        ]
        for (draft, rules) in cases {
            guard case .failure(let refusal) = draft.validated() else { Issue.record("\(draft) passed"); continue }
            #expect(refusal.rules.map(\.rule) == rules)
        }
    }

    @Test("coverage: the days a shift touches, and the committees left uncovered")
    func coverage() {
        #expect(Coverage.days(from: Self.time("2010-05-01 20:00"), to: Self.time("2010-05-02 00:00")).map(\.description) == ["2010-05-01"])
        #expect(Coverage.days(from: Self.time("2010-05-01 20:00"), to: Self.time("2010-05-02 06:00")).map(\.description) == ["2010-05-01", "2010-05-02"])
        let days = [CalendarDay(iso: "2010-05-01")!, CalendarDay(iso: "2010-05-02")!]
        let committees = [Coverage.Committee(code: "JC-001", name: "一", kind: "residential_committee"),
                          Coverage.Committee(code: "VC-01", name: "村", kind: "village_committee")]
        let lines = Coverage.lines(committees: committees, days: days, staffed: [Coverage.StaffedDay(unitCode: "JC-001", day: days[0]),
                                                                                Coverage.StaffedDay(unitCode: "JC-001", day: days[1])])
        #expect(lines.map(\.uncoveredDays.count) == [0, 2])
    }

    @Test("a round: on time within the 10-minute grace, late after it, missed once the grace passes unvisited, due until then")
    func patrolRound() {
        let route = [Checkpoint(name: "南门", minutesFromStart: 0), Checkpoint(name: "三号楼", minutesFromStart: 15),
                     Checkpoint(name: "北门", minutesFromStart: 30), Checkpoint(name: "车棚", minutesFromStart: 45)]
        let starts = LocalTime("2010-05-01 19:00")!
        // 南门 at the grace's last minute; 三号楼 one minute after it; 北门 never; 车棚 not yet due.
        let checkIns = [0: LocalTime("2010-05-01 19:10")!, 1: LocalTime("2010-05-01 19:26")!]
        let round = PatrolRound(route: route, starts: starts, checkIns: checkIns, now: LocalTime("2010-05-01 19:41")!)
        #expect(round.points.map(\.state) == [.onTime, .late, .missed, .due])
        #expect(round.points[2].deadline == LocalTime("2010-05-01 19:40"))
        #expect(!round.isComplete)
        let onTheDeadline = PatrolRound(route: route, starts: starts, checkIns: checkIns, now: LocalTime("2010-05-01 19:40")!)
        #expect(onTheDeadline.points[2].state == .due, "missed only after the grace's last minute")
        let done = PatrolRound(route: route, starts: starts, checkIns: [0: starts, 1: starts, 2: starts, 3: LocalTime("2010-05-01 23:00")!],
                               now: LocalTime("2010-05-02 08:00")!)
        #expect(done.isComplete && done.points.last?.state == .late)
    }

    @Test("a check-in names a checkpoint of the route, within the shift (its last minute included)")
    func checkInRules() throws {
        let route = [Checkpoint(name: "南门", minutesFromStart: 0), Checkpoint(name: "北门", minutesFromStart: 30)]
        let shift = (LocalTime("2010-05-01 19:00")!, LocalTime("2010-05-01 22:00")!)
        #expect(try PatrolRound.checkpoint(named: "北门", at: shift.1, route: route, shift: shift).get() == 1)
        #expect(try PatrolRound.checkpoint(named: " 南门 ", at: shift.0, route: route, shift: shift).get() == 0)
        guard case .failure(let refusal) = PatrolRound.checkpoint(named: "西门", at: LocalTime("2010-05-01 18:59")!, route: route, shift: shift) else {
            Issue.record("an unknown checkpoint outside the shift was accepted")
            return
        }
        #expect(refusal.rules.map(\.rule) == ["UNKNOWN_CHECKPOINT", "OUTSIDE_SHIFT"])
        #expect(refusal.rules[0].message.contains("南门, 北门"))
    }

    @Test("coverage by week: Monday to Sunday, cut at the period's ends; a committee counts for a week only if every day of it is covered")
    func weeklyCoverage() {
        let days = Array(sequence(first: CalendarDay(iso: "2010-04-29")!) { $0.next }.prefix(12))  // Thursday 29 April to Monday 10 May
        let weeks = Coverage.weeks(days)
        #expect(weeks.map { "\($0.first!)..\($0.last!)" } == ["2010-04-29..2010-05-02", "2010-05-03..2010-05-09", "2010-05-10..2010-05-10"])
        let committees = [Coverage.Committee(code: "JC-001", name: "一", kind: "residential_committee"),
                          Coverage.Committee(code: "JC-002", name: "二", kind: "residential_committee")]
        // JC-001 every day; JC-002 every day but 5 May.
        let staffed = Set(days.flatMap { day in ["JC-001", "JC-002"].filter { $0 == "JC-001" || day != CalendarDay(iso: "2010-05-05")! }
            .map { Coverage.StaffedDay(unitCode: $0, day: day) } })
        let lines = Coverage.lines(committees: committees, days: days, staffed: staffed)
        #expect(weeks.map { Coverage.fullyCovered(lines, in: $0) } == [2, 1, 2])
    }

    @Test("a rota's size is refused before any shift is built: at most 1,000 slots and 92 days")
    func rotaSize() {
        let from = CalendarDay(iso: "2010-05-01")!
        let slot = Rota.Slot(volunteerID: 1, weekday: 1, starts: "08:00", ends: "09:00")
        guard case .failure(let tooMany) = Rota.expand(Array(repeating: slot, count: Rota.maximumSlots + 1), from: from, to: from) else {
            Issue.record("1,001 slots were accepted")
            return
        }
        #expect(tooMany.rules.map(\.rule) == ["ROTA_SIZE"])
        // Monday slots over a period without a Monday stand for no shift at all.
        guard case .failure(let none) = Rota.expand([slot], from: from, to: CalendarDay(iso: "2010-05-02")!) else {
            Issue.record("a rota of no shifts was accepted")
            return
        }
        #expect(none.rules.map(\.rule) == ["ROTA_SIZE"])
        let year = (0..<200).reduce(from) { day, _ in day.next }
        guard case .failure(let long) = Rota.expand([slot], from: from, to: year) else {
            Issue.record("200 days were accepted")
            return
        }
        #expect(long.rules.map(\.rule) == ["ROTA_PERIOD"])
    }

    @Test("the commendation: both thresholds, ranked by hours then activities then the lower id, whatever the input order; teams by hours per member")
    func commendationRanking() {
        func person(_ id: Int64, team: Int64?) -> DutyVolunteer {
            DutyVolunteer(id: id, name: "队员\(id)", unitCode: "JC-001", status: "active", teamID: team, teamName: team.map { "护楼队\($0)" })
        }
        let people = [person(5, team: 1), person(3, team: 1), person(9, team: 2), person(7, team: 3), person(11, team: 2),
                      person(13, team: 4), person(15, team: 4), person(17, team: nil)]
        let totals: [Int64: Commendation.Totals] = [
            5: .init(activities: 12, hours: 50), 3: .init(activities: 12, hours: 50), 9: .init(activities: 15, hours: 50),
            7: .init(activities: 11, hours: 60),  // over the hours, under the activities
            11: .init(activities: 20, hours: 39.5),  // the other way round
            13: .init(activities: 13, hours: 50), 15: .init(activities: 13, hours: 50),
        ]
        let rules = CommendationRules(from: CalendarDay(iso: "2010-01-01")!, to: CalendarDay(iso: "2010-12-31")!, volunteerMinimumHours: 40,
                                      volunteerMinimumActivities: 12, volunteers: 3, teamMinimumHoursPerMember: 45, teams: 3)
        let result = Commendation.rank(people, teams: Commendation.TeamMembers.of(people), totals: totals, rules: rules)
        #expect(result.volunteers.map(\.volunteer.id) == [9, 13, 15], "50 h each: 15 activities first, then 13 and 13 by the lower id")
        #expect(result.volunteers.map(\.rank) == [1, 2, 3] && result.eligibleVolunteers == 5)
        // Teams per member: 3 -> 60; 4 -> 50 with 26 activities; 1 -> 50 with 24; 2 -> 44.75, under 45.
        #expect(result.teams.map(\.id) == [3, 4, 1] && result.eligibleTeams == 3)
        #expect(result.teams.first?.members == 1 && result.teams[1].hoursPerMember == 50)
        for seed in 1...5 {
            var generator = SeededGenerator(seed: UInt64(seed))
            let shuffled = people.shuffled(using: &generator)
            #expect(Commendation.rank(shuffled, teams: Commendation.TeamMembers.of(shuffled), totals: totals, rules: rules) == result, "the order read never matters")
        }
        // Only the volunteers with recorded service, beside every team's members: the same.
        let withService = people.filter { totals[$0.id] != nil }
        #expect(withService.count < people.count)
        #expect(Commendation.rank(withService, teams: Commendation.TeamMembers.of(people), totals: totals, rules: rules) == result)
    }

    @Test("one volunteer's rank from its contenders alone equals its place in the whole ranking")
    func rankFromContenders() {
        let rules = CommendationRules(from: CalendarDay(iso: "2010-01-01")!, to: CalendarDay(iso: "2010-12-31")!, volunteerMinimumHours: 10,
                                      volunteerMinimumActivities: 3, volunteers: 5, teamMinimumHoursPerMember: 45, teams: 3)
        #expect(Commendation.needsActivity(rules))
        var generator = SeededGenerator(seed: 2010)
        let everyone = (1...300).map { id in
            DutyVolunteer(id: Int64(id), name: "队员\(id)", unitCode: "JC-001", status: Bool.random(using: &generator) || id % 3 == 0 ? "active" : "withdrawn",
                          teamID: nil, teamName: nil)
        }
        var totals: [Int64: Commendation.Totals] = [:]
        for volunteer in everyone where Int.random(in: 0..<4, using: &generator) > 0 {
            totals[volunteer.id] = .init(activities: Int.random(in: 0...8, using: &generator), hours: Double(Int.random(in: 0...40, using: &generator)) / 2)
        }
        let active = everyone.filter { $0.status == "active" }
        var unlimited = rules
        unlimited.volunteers = Int.max
        let whole = Dictionary(uniqueKeysWithValues: Commendation.rank(active, teams: [], totals: totals, rules: unlimited).volunteers.map { ($0.volunteer.id, $0.rank) })
        let activeIDs = Set(active.map(\.id))
        for volunteer in active {
            let rank = Commendation.contenders(for: volunteer.id, totals: totals, rules: rules).map { $0.filter(activeIDs.contains).count + 1 }
            #expect(rank == whole[volunteer.id], "volunteer \(volunteer.id)")
        }
        #expect(whole.count > 20 && whole.count < active.count, "some ranked, some not eligible")
    }
}

/// A small deterministic generator for shuffles in tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state ^ (state >> 29)
    }
}

extension Commendation.TeamMembers {
    /// The teams of `volunteers` (all of them active), by team id, as the store's grouped
    /// count gives them.
    static func of(_ volunteers: [DutyVolunteer]) -> [Commendation.TeamMembers] {
        var teams: [Int64: Commendation.TeamMembers] = [:]
        for volunteer in volunteers {
            guard let id = volunteer.teamID else { continue }
            var team = teams[id] ?? Commendation.TeamMembers(id: id, name: volunteer.teamName ?? "", unitCode: volunteer.unitCode, members: 0)
            team.members += 1
            team.unitCode = min(team.unitCode, volunteer.unitCode)
            team.name = max(team.name, volunteer.teamName ?? "")
            teams[id] = team
        }
        return teams.values.sorted { $0.id < $1.id }
    }
}

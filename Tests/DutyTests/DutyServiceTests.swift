@testable import Duty
import Foundation
import GRDB
import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganRPCTesting
import PinganVolunteerReplica
import Synchronization
import Testing

/// The registry and training as duty sees them, in memory.
final class FakeDutyDirectory: DutyDirectory {
    let volunteers: [Int64: DutyVolunteer]
    /// Training's answer: courses a volunteer lacks on a day (none: qualified).
    let lacking: @Sendable (Int64, CalendarDay) -> [String]
    let committees: [Coverage.Committee]
    let failure = Mutex<RPCError?>(nil)
    /// The store's copy of the registry, which `catchUp` fills as a follower would.
    let replica: VolunteerReplica?

    init(_ volunteers: [DutyVolunteer], committees: [Coverage.Committee] = [], replica: VolunteerReplica? = nil,
         lacking: @escaping @Sendable (Int64, CalendarDay) -> [String] = { _, _ in [] }) {
        self.volunteers = Dictionary(uniqueKeysWithValues: volunteers.map { ($0.id, $0) })
        self.committees = committees
        self.lacking = lacking
        self.replica = replica
    }

    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> DutyVolunteer? {
        if let failure = failure.withLock({ $0 }) { throw failure }
        return volunteers[id]
    }

    func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws {
        if let failure = failure.withLock({ $0 }) { throw failure }
        guard let replica else { return }
        let generation = try await replica.startCopy()
        try await replica.copy(volunteers.values.map {
            ReplicaVolunteer(id: $0.id, name: $0.name, unitCode: $0.unitCode, category: 5, status: $0.status, teamID: $0.teamID, teamName: $0.teamName)
        }, generation: generation)
        try await replica.finishCopy(generation: generation, position: 0)
    }

    func committees(deadline: ContinuousClock.Instant?, requestID: String) async throws -> [Coverage.Committee] { committees }

    func missingCourses(volunteer: Int64, project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [String] {
        lacking(volunteer, day)
    }

    let batchCalls = Mutex(0)

    func missingCourses(volunteers: [Int64], project: ServiceProject, on day: CalendarDay, deadline: ContinuousClock.Instant?,
                        requestID: String) async throws -> [Int64: [String]] {
        batchCalls.withLock { $0 += 1 }
        return Dictionary(uniqueKeysWithValues: volunteers.map { ($0, lacking($0, day)) }.filter { !$0.1.isEmpty })
    }
}

@Suite("Duty service: posts, shifts, activities, compliance, hazards, coverage")
struct DutyServiceTests {
    /// Volunteers 1-20 active in JC-001, 21-30 active in JC-002, 99 suspended.
    static let people = (1...30).map { DutyVolunteer(id: Int64($0), name: "队员\($0)", unitCode: $0 <= 20 ? "JC-001" : "JC-002", status: "active") }
        + [DutyVolunteer(id: 99, name: "停职者", unitCode: "JC-001", status: "suspended")]
    static let committees = [Coverage.Committee(code: "JC-001", name: "第一居委会", kind: "residential_committee"),
                             Coverage.Committee(code: "JC-002", name: "第二居委会", kind: "residential_committee"),
                             Coverage.Committee(code: "VC-01", name: "一村", kind: "village_committee")]

    struct Fixture {
        var store: DutyStore
        var directory: FakeDutyDirectory

        func client(_ role: Role = .admin, unit: String? = nil, clock: DutyClock = .shanghai) -> DutyClient {
            DutyClient(InProcessTransport.serving([DutyService(store: store, calendar: .expo2010, directory: directory, clock: clock)],
                                                  as: role, unit: unit))
        }
    }

    /// A store on a real WAL database file, as deployed.
    static func fixture(lacking: @escaping @Sendable (Int64, CalendarDay) -> [String] = { _, _ in [] }) throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("duty-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try DutyStore.open(path: folder.appendingPathComponent("duty.sqlite").path)
        return Fixture(store: store, directory: FakeDutyDirectory(people, committees: committees, replica: store.replica, lacking: lacking))
    }

    @discardableResult
    static func patrolPost(_ fixture: Fixture, code: String = "JC-001-P1", unit: String = "JC-001") async throws -> Pingan_Duty_V1_Post {
        var request = Pingan_Duty_V1_SavePostRequest()
        request.code = code
        request.project = "patrol"
        request.unitCode = unit
        request.place = "一号小区"
        request.duty = "夜间巡逻，发现可疑情况报告"
        request.route = [("南门", 0), ("三号楼", 15), ("北门", 30)].map { name, minutes in
            var point = Pingan_Duty_V1_Checkpoint()
            point.name = name
            point.minutesFromStart = Int32(minutes)
            return point
        }
        return try await fixture.client().savePost(request)
    }

    static func shift(_ post: String, _ volunteer: Int64, _ starts: String, _ ends: String) -> Pingan_Duty_V1_AssignShiftRequest {
        var request = Pingan_Duty_V1_AssignShiftRequest()
        request.postCode = post
        request.volunteerID = volunteer
        request.starts = starts
        request.ends = ends
        return request
    }

    static func refusal(_ body: () async throws -> Void) async -> RPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("50 concurrent assignments of one volunteer to overlapping shifts: exactly one wins, the rest are told which shift clashes")
    func noDoubleBooking() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        try await Self.patrolPost(fixture, code: "JC-001-P2")
        let results = await withTaskGroup(of: Result<Int64, RPCError>.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let start = 8 * 60 + index  // every window overlaps every other
                    let request = Self.shift(index % 2 == 0 ? "JC-001-P1" : "JC-001-P2", 1,
                                             "2010-05-01 \(zeroPadded(start / 60, 2)):\(zeroPadded(start % 60, 2))", "2010-05-01 12:00")
                    do { return .success(try await fixture.client().assignShift(request).id) } catch { return .failure(error as! RPCError) }
                }
            }
            var results: [Result<Int64, RPCError>] = []
            for await result in group { results.append(result) }
            return results
        }
        let won = results.compactMap { try? $0.get() }
        let lost = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(won.count == 1)
        #expect(lost.count == 49 && lost.allSatisfy { $0.code == .failedPrecondition && $0.details?.fieldViolations.first?.rule == "OVERLAPPING_SHIFT" })
        var list = Pingan_Duty_V1_ListShiftsRequest()
        list.volunteerID = 1
        #expect(try await fixture.client().listShifts(list).shifts.count == 1)
    }

    @Test("finance's stream of a month: activities and served shifts per volunteer in id order, cancelled and unfinished shifts and other months left out; paged, resumable")
    func monthServiceStream() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        let hand = HandClock("2010-05-20 12:00")
        let admin = fixture.client(clock: hand.clock)
        _ = try await admin.assignShift(Self.shift("JC-001-P1", 1, "2010-05-03 19:00", "2010-05-03 22:00"))
        _ = try await admin.assignShift(Self.shift("JC-001-P1", 1, "2010-05-10 19:00", "2010-05-10 21:30"))
        _ = try await admin.assignShift(Self.shift("JC-001-P1", 1, "2010-05-25 19:00", "2010-05-25 22:00"))  // not ended on 05-20
        let cancelled = try await admin.assignShift(Self.shift("JC-001-P1", 2, "2010-05-04 19:00", "2010-05-04 22:00"))
        var cancel = Pingan_Duty_V1_CancelShiftRequest()
        cancel.id = cancelled.id
        cancel.reason = "病假"
        _ = try await admin.cancelShift(cancel)
        for (volunteer, day, hours) in [(Int64(3), "2010-05-05", 2.5), (3, "2010-05-06", 1.5), (4, "2010-04-30", 3), (22, "2010-05-31", 2)] {
            var activity = Pingan_Duty_V1_RecordActivityRequest()
            activity.volunteerID = volunteer
            activity.project = "publicity"
            activity.day = day
            activity.place = "社区"
            activity.hours = hours
            _ = try await admin.recordActivity(activity)
        }
        var request = Pingan_Duty_V1_StreamMonthServiceRequest()
        request.month = "2010-05"
        let finance = fixture.client(.finance, clock: hand.clock)
        var months: [Pingan_Duty_V1_VolunteerMonth] = []
        for try await month in try await finance.streamMonthService(request) { months.append(month) }
        #expect(months.map(\.volunteerID) == [1, 3, 22], "volunteer 2's shift was cancelled, 4's activity is in April")
        #expect(months.map(\.shifts) == [2, 0, 0] && months.first?.shiftHours == 5.5)
        #expect(months.map(\.activities) == [0, 2, 1] && months[1].activityHours == 4 && months[2].unitCode == "JC-002")
        #expect(months[0].days.map(\.day) == ["2010-05-03", "2010-05-10"] && months[0].days.map(\.shiftHours) == [3, 2.5], "day by day: rates change on a day")
        #expect(months[1].days.map { [$0.day, String($0.activities)] } == [["2010-05-05", "1"], ["2010-05-06", "1"]])

        request.afterVolunteerID = 1
        var resumed: [Int64] = []
        for try await month in try await finance.streamMonthService(request) { resumed.append(month.volunteerID) }
        #expect(resumed == [3, 22])
        let firstPage = try await fixture.store.monthService(from: CalendarDay(iso: "2010-05-01")!, to: CalendarDay(iso: "2010-05-31")!,
                                                             endedBy: LocalTime("2010-06-01 00:00")!, afterVolunteerID: 0, limit: 2)
        #expect(firstPage.map(\.volunteerID) == [1, 3] && firstPage.first?.shifts == 3, "once ended, the 25th's shift counts")
        let clerk = await Self.refusal { for try await _ in try await fixture.client(.clerk, unit: "JC-001").streamMonthService(request) {} }
        #expect(clerk?.code == .permissionDenied)
    }

    @Test("the commendation answer states its period, thresholds and rule; a campaign without one is FAILED_PRECONDITION")
    func commendationAnswer() async throws {
        let fixture = try Self.fixture()
        for (day, hours) in [("2010-05-01", 8.0), ("2010-06-01", 8), ("2010-07-01", 8), ("2010-08-01", 8), ("2010-09-01", 8), ("2010-10-01", 8)] {
            for volunteer in [Int64(1), 2] {
                for repeatIndex in 0..<2 {
                    var activity = Pingan_Duty_V1_RecordActivityRequest()
                    activity.volunteerID = volunteer
                    activity.project = "patrol"
                    activity.day = day
                    activity.place = "社区"
                    activity.hours = volunteer == 1 ? hours : hours - Double(repeatIndex)
                    _ = try await fixture.client().recordActivity(activity)
                }
            }
        }
        let list = try await fixture.client(.clerk, unit: "JC-001").getCommendation(Pingan_Duty_V1_GetCommendationRequest())
        #expect(list.from == "2010-01-01" && list.volunteerMinimumHours == 40 && list.volunteerMinimumActivities == 12)
        #expect(list.volunteers.map(\.volunteerID) == [1, 2] && list.volunteers.map(\.hours) == [96, 90])
        #expect(list.rule.contains("then the lower volunteer id"))
        var campaign = CampaignCalendar.expo2010
        campaign.commendation = nil
        let service = DutyService(store: fixture.store, calendar: campaign, directory: fixture.directory)
        let refused = await Self.refusal {
            _ = try await DutyClient(InProcessTransport.serving([service], as: .admin)).getCommendation(Pingan_Duty_V1_GetCommendationRequest())
        }
        #expect(refused?.code == .failedPrecondition)
    }

    @Test("compliance per team: the registry's teams, each counted with its members over the month's minimum; coverage week by week")
    func teamCompliance() async throws {
        let base = try Self.fixture()
        let members = (1...4).map { DutyVolunteer(id: Int64($0), name: "队员\($0)", unitCode: "JC-001", status: "active",
                                                  teamID: $0 <= 2 ? 7 : 8, teamName: $0 <= 2 ? "一号楼护楼队" : "二号楼护楼队") }
        let fixture = Fixture(store: base.store, directory: FakeDutyDirectory(members, committees: Self.committees, replica: base.store.replica))
        for (volunteer, day) in [(Int64(1), "2010-05-02"), (1, "2010-05-09"), (2, "2010-05-03"), (3, "2010-05-04"), (3, "2010-05-20")] {
            var activity = Pingan_Duty_V1_RecordActivityRequest()
            activity.volunteerID = volunteer
            activity.project = "publicity"
            activity.day = day
            activity.place = "社区"
            activity.hours = 2
            _ = try await fixture.client().recordActivity(activity)
        }
        var request = Pingan_Duty_V1_GetComplianceRequest()
        request.month = "2010-05"
        let report = try await fixture.client().getCompliance(request)
        #expect(report.teams.map(\.teamID) == [7, 8] && report.teams.map(\.volunteers) == [2, 2])
        #expect(report.teams.map(\.compliant) == [1, 1], "two activities in May: volunteers 1 and 3")
        #expect(report.teams.first?.teamName == "一号楼护楼队")

        var coverage = Pingan_Duty_V1_GetCoverageRequest()
        coverage.from = "2010-05-01"
        coverage.to = "2010-05-16"
        #expect(try await fixture.client().getCoverage(coverage).weeks.map(\.from) == ["2010-05-01", "2010-05-03", "2010-05-10"])
    }

    @Test("an activity sheet: every bad row listed with its number and nothing recorded; a clean sheet recorded in one go, once per key")
    func activitySheet() async throws {
        let fixture = try Self.fixture()
        func row(_ volunteer: Int64, _ project: String, _ day: String, _ hours: Double) -> Pingan_Duty_V1_RecordActivityRequest {
            var row = Pingan_Duty_V1_RecordActivityRequest()
            row.volunteerID = volunteer
            row.project = project
            row.day = day
            row.place = "社区"
            row.hours = hours
            return row
        }
        var sheet = Pingan_Duty_V1_RecordActivitiesRequest()
        sheet.rows = [row(1, "patrol", "2010-05-02", 2), row(2, "dancing", "2010-05-31", 2), row(3, "patrol", "2010-02-30", 0), row(555, "patrol", "2010-05-02", 1)]
        let refused = await Self.refusal { _ = try await fixture.client().recordActivities(sheet) }
        #expect(refused?.details?.fieldViolations.map(\.field) == ["rows[2].project", "rows[3].day", "rows[3].hours", "rows[4].volunteer_id"])
        let clerk = await Self.refusal { _ = try await fixture.client(.coordinator, unit: "JC-002").recordActivities(sheet) }
        #expect(clerk?.details?.fieldViolations.filter { $0.rule == "UNKNOWN_VOLUNTEER" }.count == 4, "JC-001's volunteers are not a JC-002 coordinator's")
        var month = Pingan_Duty_V1_StreamMonthServiceRequest()
        month.month = "2010-05"
        var recorded = 0
        for try await _ in try await fixture.client().streamMonthService(month) { recorded += 1 }
        #expect(recorded == 0, "nothing of a refused sheet is recorded")

        sheet.rows = (1...20).map { row(Int64($0), "publicity", "2010-05-\(zeroPadded($0, 2))", 1.5) }
        var options = CallOptions()
        options.metadata.idempotencyKey = "sheet-may"
        let first = try await fixture.client().recordActivities(sheet, options: options)
        let again = try await fixture.client().recordActivities(sheet, options: options)
        #expect(first.recorded == 20 && again == first)
        for try await _ in try await fixture.client().streamMonthService(month) { recorded += 1 }
        #expect(recorded == 20)
    }

    @Test("one volunteer's month: shifts, activities against the minimum, commendation rank; another unit's clerk is told NOT_FOUND")
    func volunteerDuty() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 1, "2010-05-03 19:00", "2010-05-03 22:00"))
        var sheet = Pingan_Duty_V1_RecordActivitiesRequest()
        sheet.rows = (1...13).map { month in
            var row = Pingan_Duty_V1_RecordActivityRequest()
            row.volunteerID = 1
            row.project = "patrol"
            row.day = "2010-\(zeroPadded(month <= 12 ? month : 5, 2))-10"
            row.place = "社区"
            row.hours = 4
            return row
        }
        _ = try await fixture.client().recordActivities(sheet)
        var request = Pingan_Duty_V1_GetVolunteerDutyRequest()
        request.volunteerID = 1
        request.month = "2010-05"
        let duty = try await fixture.client(.clerk, unit: "JC-001").getVolunteerDuty(request)
        #expect(duty.shifts.count == 1 && duty.activities.count == 2 && duty.minimum == 2 && duty.compliant)
        #expect(duty.commendationRank == 1 && duty.commended && duty.commendationHours == 52)
        request.volunteerID = 2
        let none = try await fixture.client().getVolunteerDuty(request)
        #expect(none.commendationRank == 0 && !none.commended && !none.compliant)
        request.volunteerID = 1
        #expect(await Self.refusal { _ = try await fixture.client(.clerk, unit: "JC-002").getVolunteerDuty(request) }?.code == .notFound)
    }

    @Test("the schema refuses an overlapping shift even when the code is bypassed")
    func triggerBackstop() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 2, "2010-05-01 08:00", "2010-05-01 12:00"))
        func insert(_ starts: String, _ ends: String) async throws {
            try await fixture.store.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO shifts (post_id, volunteer_id, starts_at, ends_at, status, created_at) VALUES (1, 2, ?, ?, 'assigned', 'now')
                    """, arguments: [starts, ends])
            }
        }
        await #expect {
            try await insert("2010-05-01 11:00", "2010-05-01 13:00")
        } throws: { ($0 as? DatabaseError)?.message == "OVERLAPPING_SHIFT" }
        try await insert("2010-05-01 12:00", "2010-05-01 16:00")  // touching is not overlapping
    }

    @Test("only an active volunteer, qualified on the shift's day, in the caller's unit, is fixed to a post")
    func whoMayServe() async throws {
        // Qualified until 2010-04-30 (a course whose validity ends with the post-training phase).
        let fixture = try Self.fixture(lacking: { _, day in day > CalendarDay(iso: "2010-04-30")! ? ["PQ-02"] : [] })
        try await Self.patrolPost(fixture)
        let suspended = await Self.refusal { _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 99, "2010-04-01 08:00", "2010-04-01 12:00")) }
        #expect(suspended?.code == .failedPrecondition && suspended?.details?.fieldViolations.map(\.rule) == ["NOT_ACTIVE"])
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 3, "2010-04-30 20:00", "2010-05-01 06:00"))
        let expired = await Self.refusal { _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 3, "2010-05-01 08:00", "2010-05-01 12:00")) }
        #expect(expired?.details?.fieldViolations.map(\.rule) == ["NOT_QUALIFIED"])
        #expect(expired?.message.contains("lacks PQ-02") == true)
        let outside = await Self.refusal {
            _ = try await fixture.client(.coordinator, unit: "JC-002").assignShift(Self.shift("JC-001-P1", 21, "2010-04-02 08:00", "2010-04-02 12:00"))
        }
        #expect(outside?.code == .notFound, "another unit's post does not exist for a coordinator")
        let unknown = await Self.refusal { _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 5000, "2010-04-02 08:00", "2010-04-02 12:00")) }
        #expect(unknown?.code == .notFound)
        fixture.directory.failure.withLock { $0 = RPCError(.deadlineExceeded, "the deadline passed before GetVolunteer was sent") }
        let slow = await Self.refusal { _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 4, "2010-04-02 08:00", "2010-04-02 12:00")) }
        #expect(slow?.code == .deadlineExceeded)
    }

    @Test("posts: a coordinator manages their own unit's; a retired post takes no shift and keeps its history")
    func postsAndRetirement() async throws {
        let fixture = try Self.fixture()
        let post = try await Self.patrolPost(fixture)
        #expect(post.route.map(\.name) == ["南门", "三号楼", "北门"])
        var other = Pingan_Duty_V1_SavePostRequest()
        other.code = "JC-002-X"
        other.project = "publicity"
        other.unitCode = "JC-002"
        other.place = "p"
        other.duty = "d"
        let denied = await Self.refusal { _ = try await fixture.client(.coordinator, unit: "JC-001").savePost(other) }
        #expect(denied?.code == .permissionDenied)
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 5, "2010-04-03 08:00", "2010-04-03 12:00"))
        var retire = Pingan_Duty_V1_RetirePostRequest()
        retire.code = "JC-001-P1"
        let noReason = await Self.refusal { _ = try await fixture.client().retirePost(retire) }
        #expect(noReason?.details?.fieldViolations.map(\.rule) == ["REASON_REQUIRED"])
        retire.reason = "小区改造"
        #expect(try await fixture.client(.coordinator, unit: "JC-001").retirePost(retire).retiredAt.isEmpty == false)
        let afterwards = await Self.refusal { _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 5, "2010-04-04 08:00", "2010-04-04 12:00")) }
        #expect(afterwards?.details?.fieldViolations.map(\.rule) == ["POST_RETIRED"])
        var shifts = Pingan_Duty_V1_ListShiftsRequest()
        shifts.postCode = "JC-001-P1"
        #expect(try await fixture.client().listShifts(shifts).shifts.count == 1, "its shifts stay on record")
    }

    @Test("compliance: April needs 1 activity, May 2; behind lists who is short, or only counts; none while the registry is down")
    func compliance() async throws {
        let fixture = try Self.fixture()
        for (volunteer, day) in [(1, "2010-04-10"), (1, "2010-05-10"), (1, "2010-05-20"), (2, "2010-05-11")] as [(Int64, String)] {
            var request = Pingan_Duty_V1_RecordActivityRequest()
            request.volunteerID = volunteer
            request.project = "patrol"
            request.day = day
            request.place = "一号小区"
            request.hours = 2
            _ = try await fixture.client().recordActivity(request)
        }
        var request = Pingan_Duty_V1_GetComplianceRequest()
        request.month = "2010-04"
        request.unitCode = "JC-001"
        let april = try await fixture.client().getCompliance(request)
        #expect(april.minimum == 1 && april.phase == "post_training" && april.volunteers == 20 && april.compliant == 1)
        request.month = "2010-05"
        let may = try await fixture.client().getCompliance(request)
        #expect(may.minimum == 2 && may.compliant == 1 && may.behind.first { $0.volunteerID == 2 }?.activities == 1)
        #expect(may.behind.map(\.volunteerID) == (2...20).map(Int64.init), "everyone short, by id; not the suspended one")
        #expect(may.nextAfterVolunteerID == 0, "19 behind: one page")
        request.countsOnly = true
        let counts = try await fixture.client().getCompliance(request)
        #expect(counts.behind.isEmpty && counts.volunteers == 20 && counts.compliant == 1 && counts.units == may.units)
        request.countsOnly = false

        // Pages of 5: together the whole list, in order; the counts come with the first only.
        request.pageSize = 5
        var pages = [try await fixture.client().getCompliance(request)]
        while let next = pages.last?.nextAfterVolunteerID, next != 0 {
            request.afterVolunteerID = next
            pages.append(try await fixture.client().getCompliance(request))
        }
        #expect(pages.map(\.behind.count) == [5, 5, 5, 4])
        #expect(pages.flatMap(\.behind) == may.behind)
        #expect(pages[0].volunteers == 20 && pages[0].units == may.units && pages[0].teams == may.teams)
        #expect(pages.dropFirst().allSatisfy { $0.units.isEmpty && $0.volunteers == 0 && $0.minimum == 2 && $0.month == "2010-05" })
        for (size, after, field) in [(Int32(10_001), Int64(0), "page_size: must be 1-10000 (0 means 1000), got 10001"), (-1, 0, "page_size"),
                                     (0, -3, "after_volunteer_id: must not be negative, got -3")] {
            request.pageSize = size
            request.afterVolunteerID = after
            let refused = await Self.refusal { _ = try await fixture.client().getCompliance(request) }
            #expect(refused?.code == .invalidArgument && refused?.message.hasPrefix(field) == true, "\(refused?.message ?? "")")
        }
        request.pageSize = 0
        request.afterVolunteerID = 0
        fixture.directory.failure.withLock { $0 = RPCError(.unavailable, "connecting to 127.0.0.1:7401: connection refused") }
        let down = await Self.refusal { _ = try await fixture.client().getCompliance(request) }
        #expect(down?.code == .unavailable && down?.message.hasPrefix("the registry is unavailable, so active volunteers cannot be counted") == true)
        fixture.directory.failure.withLock { $0 = nil }
        request.unitCode = "JC-002"
        let denied = await Self.refusal { _ = try await fixture.client(.coordinator, unit: "JC-001").getCompliance(request) }
        #expect(denied?.code == .permissionDenied)
        var bad = Pingan_Duty_V1_RecordActivityRequest()
        bad.volunteerID = 1
        bad.project = "patrol"
        bad.day = "2010-05-01"
        bad.place = ""
        bad.hours = 30
        let refused = await Self.refusal { _ = try await fixture.client().recordActivity(bad) }
        #expect(refused?.details?.fieldViolations.map(\.rule) == ["PLACE", "HOURS"])
    }

    @Test("hazards: the path to verified, illegal steps refused, overdue counted by kind and unit, history kept")
    func hazards() async throws {
        let fixture = try Self.fixture()
        var report = Pingan_Duty_V1_ReportHazardRequest()
        report.kind = "fire"
        report.unitCode = "JC-001"
        report.place = "三号楼楼道"
        report.description_p = "楼道堆放杂物，堵塞消防通道"
        report.reportedBy = 3
        report.reportedOn = "2010-05-20"
        let hazard = try await fixture.client(.clerk, unit: "JC-001").reportHazard(report)
        var step = Pingan_Duty_V1_AdvanceHazardRequest()
        step.id = hazard.id
        step.to = "rectified"
        step.on = "2010-05-21"
        let skip = await Self.refusal { _ = try await fixture.client().advanceHazard(step) }
        #expect(skip?.code == .failedPrecondition && skip?.message.contains("can move to referred") == true)
        step.to = "referred"
        step.department = "消防科"
        step.dueOn = "2010-05-31"
        _ = try await fixture.client().advanceHazard(step)
        step.to = "rectifying"
        step.on = "2010-05-25"
        _ = try await fixture.client().advanceHazard(step)
        var list = Pingan_Duty_V1_ListHazardsRequest()
        list.on = "2010-06-01"
        let overdue = try await fixture.client().listHazards(list)
        #expect(overdue.hazards.first?.overdue == true && overdue.byKind.first?.overdue == 1 && overdue.byUnit.first?.key == "JC-001")
        #expect(overdue.hazards.first?.steps.map(\.to) == ["reported", "referred", "rectifying"])
        for (to, on) in [("rectified", "2010-06-02"), ("verified", "2010-06-03")] {
            step.to = to
            step.on = on
            _ = try await fixture.client().advanceHazard(step)
        }
        #expect(try await fixture.client().listHazards(list).hazards.isEmpty, "verified hazards leave the open list")
        list.includeVerified = true
        #expect(try await fixture.client().listHazards(list).hazards.first?.status == "verified")
        step.to = "referred"
        let done = await Self.refusal { _ = try await fixture.client().advanceHazard(step) }
        #expect(done?.message.contains("nothing: it is verified") == true)
    }

    @Test("coverage: a committee is covered on the days a patrol post of its has a shift")
    func coverage() async throws {
        let fixture = try Self.fixture()
        try await Self.patrolPost(fixture)
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 1, "2010-05-01 20:00", "2010-05-02 06:00"))
        _ = try await fixture.client().assignShift(Self.shift("JC-001-P1", 2, "2010-05-03 08:00", "2010-05-03 12:00"))
        var request = Pingan_Duty_V1_GetCoverageRequest()
        request.from = "2010-05-01"
        request.to = "2010-05-03"
        let report = try await fixture.client().getCoverage(request)
        #expect(report.days == 3 && report.committees == 3 && report.fullyCovered == 1)
        #expect(report.committeesDetail.first { $0.unitCode == "JC-002" }?.uncoveredDays.count == 3)
        request.to = "2010-06-15"
        let tooLong = await Self.refusal { _ = try await fixture.client().getCoverage(request) }
        #expect(tooLong?.code == .invalidArgument)
    }
}

import Foundation
import GRDB
import Logging
import PinganCampaign
import PinganIdentity
import PinganRPC
import PinganRPCTesting
import PinganStore
@testable import Training
import PinganTrainingContracts
import PinganVolunteerReplica
import Synchronization
import Testing

/// The registry as training sees it, in memory: volunteers by id, and a switch that makes it
/// fail every call with the error a real client would give.
final class FakeDirectory: VolunteerDirectory {
    let volunteers: [Int64: VolunteerSnapshot]
    let failure = Mutex<RPCError?>(nil)
    /// The store's copy of the registry, which `catchUp` fills as a follower would.
    let replica: VolunteerReplica?

    static let unreachable = RPCError(.unavailable, "connecting to 127.0.0.1:7401: connection refused")
    static let tooSlow = RPCError(.deadlineExceeded, "the deadline passed before /pingan.registry.v1.Registry/GetVolunteer was sent")

    init(_ volunteers: [VolunteerSnapshot], replica: VolunteerReplica? = nil) {
        self.volunteers = Dictionary(uniqueKeysWithValues: volunteers.map { ($0.id, $0) })
        self.replica = replica
    }

    func volunteer(_ id: Int64, deadline: ContinuousClock.Instant?, requestID: String) async throws -> VolunteerSnapshot? {
        if let failure = failure.withLock({ $0 }) { throw failure }
        return volunteers[id]
    }

    func catchUp(deadline: ContinuousClock.Instant?, requestID: String) async throws {
        if let failure = failure.withLock({ $0 }) { throw failure }
        guard let replica else { return }
        let generation = try await replica.startCopy()
        try await replica.copy(volunteers.values.map {
            ReplicaVolunteer(id: $0.id, name: $0.name, unitCode: $0.unitCode, category: $0.category, status: $0.status)
        }, generation: generation)
        try await replica.finishCopy(generation: generation, position: 0)
    }
}

@Suite("Training service: enrollment, attendance, qualification, reports")
struct TrainingServiceTests {
    /// 60 active volunteers (1-30 in JC-001, 31-60 in JC-002) and one suspended (99).
    static let people = (1...60).map {
        VolunteerSnapshot(id: Int64($0), name: "学员\($0)", unitCode: $0 <= 30 ? "JC-001" : "JC-002", category: $0 % 2 == 0 ? 9 : 4, status: "active")
    } + [VolunteerSnapshot(id: 99, name: "停职者", unitCode: "JC-001", category: 9, status: "suspended")]

    struct Fixture {
        var service: TrainingService
        var store: TrainingStore
        var directory: FakeDirectory

        /// The service through the in-process transport: the real router, ACL checks and error
        /// mapping, called as `role` of `unit`.
        func client(role: Role = .admin, unit: String? = nil) -> TrainingClient {
            TrainingClient(InProcessTransport.serving([service], as: role, unit: unit))
        }
    }

    /// Call options with an idempotency key.
    static func options(key: String) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = key
        return CallOptions(metadata: metadata)
    }

    /// A service on a real database file (a pool: concurrent readers, one writer), as deployed.
    static func fixture() throws -> Fixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("training-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try TrainingStore.open(path: folder.appendingPathComponent("training.sqlite").path)
        let directory = FakeDirectory(people, replica: store.replica)
        return Fixture(service: TrainingService(store: store, calendar: .expo2010, directory: directory), store: store, directory: directory)
    }

    static func course(_ fixture: Fixture, code: String = "PJ-01", kind: String = "pre_job", hours: Double = 3) async throws -> Pingan_Training_V1_Course {
        var request = Pingan_Training_V1_CreateCourseRequest()
        request.code = code
        request.name = "岗前培训"
        request.kind = kind
        request.deadlinePhase = kind == "pre_job" ? "pre_job_training" : "post_training"
        request.validThroughPhase = "expo"
        request.requiredHours = hours
        return try await fixture.client().createCourse(request)
    }

    static func session(_ fixture: Fixture, course: Int64, starts: String = "2009-11-20 09:00", ends: String = "2009-11-20 12:00",
                        capacity: Int32 = 10) async throws -> Pingan_Training_V1_Session {
        var request = Pingan_Training_V1_ScheduleSessionRequest()
        request.courseID = course
        request.starts = starts
        request.ends = ends
        request.place = "镇政府3号楼303室"
        request.capacity = capacity
        request.trainer = "周海燕"
        return try await fixture.client().scheduleSession(request)
    }

    static func enroll(_ fixture: Fixture, session: Int64, volunteer: Int64, role: Role = .admin, unit: String? = nil) async throws -> Pingan_Training_V1_Enrollment {
        var request = Pingan_Training_V1_EnrollRequest()
        request.sessionID = session
        request.volunteerID = volunteer
        return try await fixture.client(role: role, unit: unit).enroll(request)
    }

    /// An attendance sheet: (volunteer, present, hours) per row.
    static func sheet(session: Int64, _ rows: [(Int, Bool, Double)]) -> Pingan_Training_V1_RecordAttendanceRequest {
        var sheet = Pingan_Training_V1_RecordAttendanceRequest()
        sheet.sessionID = session
        sheet.rows = rows.map { id, present, hours in
            var row = Pingan_Training_V1_AttendanceRow()
            row.volunteerID = Int64(id)
            row.present = present
            row.hours = hours
            return row
        }
        return sheet
    }

    @Test("50 concurrent enrollments for 10 seats leave exactly 10 enrolled; the other 40 are told the session is full")
    func capacityUnderConcurrency() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id, capacity: 10)
        let outcomes = await withTaskGroup(of: Result<Int32, RPCError>.self) { group in
            for volunteer in 1...50 {
                group.addTask {
                    do {
                        return .success(try await Self.enroll(fixture, session: session.id, volunteer: Int64(volunteer)).seatsLeft)
                    } catch {
                        return .failure(error as? RPCError ?? RPCError(.unknown, "\(error)"))
                    }
                }
            }
            var outcomes: [Result<Int32, RPCError>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        let seatsLeft = outcomes.compactMap { try? $0.get() }
        #expect(seatsLeft.count == 10)
        #expect(Set(seatsLeft) == Set(0...9), "each success saw its own seat taken")
        let refusals = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(refusals.count == 40)
        #expect(refusals.allSatisfy { $0.code == .failedPrecondition && $0.details?.fieldViolations.first?.rule == "SESSION_FULL" })
        #expect(try await fixture.store.sessions(courseID: course.id).first?.enrolled == 10)
    }

    @Test("a volunteer is never in two overlapping sessions; only active volunteers in the caller's unit enroll")
    func overlapAndEligibility() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let morning = try await Self.session(fixture, course: course.id)
        let clash = try await Self.session(fixture, course: course.id, starts: "2009-11-20 11:00", ends: "2009-11-20 14:00")
        let afternoon = try await Self.session(fixture, course: course.id, starts: "2009-11-20 12:00", ends: "2009-11-20 15:00")
        _ = try await Self.enroll(fixture, session: morning.id, volunteer: 1)
        await #expect {
            _ = try await Self.enroll(fixture, session: clash.id, volunteer: 1)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .failedPrecondition && error.message.hasPrefix("enrollment refused: session_id: overlaps session \(morning.id)")
        }
        _ = try await Self.enroll(fixture, session: afternoon.id, volunteer: 1)

        await #expect {
            _ = try await Self.enroll(fixture, session: morning.id, volunteer: 99)
        } throws: { ($0 as? RPCError)?.message == "volunteer_id: volunteer 99 is suspended in the registry; only active volunteers enroll" }
        await #expect {
            _ = try await Self.enroll(fixture, session: morning.id, volunteer: 1234)
        } throws: { ($0 as? RPCError)?.code == .notFound }
        await #expect {
            _ = try await Self.enroll(fixture, session: morning.id, volunteer: 40, role: .clerk, unit: "JC-001")
        } throws: { ($0 as? RPCError)?.code == .notFound }
        _ = try await Self.enroll(fixture, session: morning.id, volunteer: 2, role: .clerk, unit: "JC-001")
    }

    @Test("with the registry down, enrollment fails UNAVAILABLE saying so, and training's own data still reads")
    func registryDown() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id)
        _ = try await Self.enroll(fixture, session: session.id, volunteer: 1)
        fixture.directory.failure.withLock { $0 = FakeDirectory.unreachable }
        await #expect {
            _ = try await Self.enroll(fixture, session: session.id, volunteer: 2)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unavailable && error.message.hasPrefix("the registry is unavailable, so volunteer 2 cannot be checked")
        }
        var get = Pingan_Training_V1_GetVolunteerTrainingRequest()
        get.volunteerID = 1
        let training = try await fixture.client().getVolunteerTraining(get)
        #expect(training.upcomingSessions.map(\.id) == [session.id])
        var check = Pingan_Training_V1_CheckQualificationsRequest()
        check.volunteerIds = [1, 2]
        check.project = "patrol"
        check.on = "2009-12-01"
        let answers = try await fixture.service.qualifications(ids: check.volunteerIds, project: check.project, on: check.on)
        #expect(answers.map(\.qualified) == [false, false])
        var report = Pingan_Training_V1_GetCompletionReportRequest()
        report.courseID = course.id
        await #expect {
            _ = try await fixture.client().getCompletionReport(report)
        } throws: { ($0 as? RPCError)?.code == .unavailable }
    }

    @Test("a registry call cut short by the caller's deadline answers DEADLINE_EXCEEDED, never UNAVAILABLE")
    func registryTooSlow() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id)
        fixture.directory.failure.withLock { $0 = FakeDirectory.tooSlow }
        await #expect {
            _ = try await Self.enroll(fixture, session: session.id, volunteer: 2)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .deadlineExceeded
                && error.message.hasPrefix("the deadline passed before the registry answered, so volunteer 2 cannot be checked")
        }
        var report = Pingan_Training_V1_GetCompletionReportRequest()
        report.courseID = course.id
        await #expect {
            _ = try await fixture.client().getCompletionReport(report)
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
    }

    @Test("attendance completes the course; qualification follows; reports count against the registry's active volunteers")
    func attendanceToQualification() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture, hours: 3)
        let session = try await Self.session(fixture, course: course.id)
        for volunteer in 1...4 { _ = try await Self.enroll(fixture, session: session.id, volunteer: Int64(volunteer)) }
        _ = try await Self.enroll(fixture, session: session.id, volunteer: 31)

        let sheet = Self.sheet(session: session.id, [(1, true, 0.0), (2, true, 2.0), (3, false, 0.0), (31, true, 0.0)])
        let result = try await fixture.client(role: .trainer).recordAttendance(sheet)
        #expect(result.recorded == 4)
        #expect(result.completedVolunteerIds == [1, 31], "2 has 2 of 3 hours, 3 was absent")

        let answers = try await fixture.service.qualifications(ids: [1, 2, 3, 31], project: "building_guard", on: "2009-11-20")
        #expect(answers.map(\.qualified) == [true, false, false, true])
        #expect(answers[1].missing.map(\.courseCode) == ["PJ-01"])
        #expect(try await fixture.service.qualifications(ids: [1], project: "building_guard", on: "2009-11-19")[0].qualified == false,
                "not before the session that completed it")

        var report = Pingan_Training_V1_GetCompletionReportRequest()
        report.courseID = course.id
        let town = try await fixture.client().getCompletionReport(report)
        #expect(town.active == 60 && town.completed == 2)
        #expect(town.units.map(\.key) == ["JC-001", "JC-002"])
        #expect(town.units.map(\.completed) == [1, 1])
        let clerk = try await fixture.client(role: .clerk, unit: "JC-001").getCompletionReport(report)
        #expect(clerk.active == 30 && clerk.completed == 1 && clerk.units.map(\.key) == ["JC-001"], "a clerk sees only their unit")

        var overdue = Pingan_Training_V1_ListOverdueRequest()
        overdue.courseID = course.id
        overdue.on = "2010-02-13"
        #expect(try await fixture.client().listOverdue(overdue).volunteers.isEmpty, "not overdue on the deadline day")
        overdue.on = "2010-02-14"
        overdue.unitCode = "JC-001"
        let late = try await fixture.client().listOverdue(overdue)
        await #expect {
            _ = try await fixture.client(role: .clerk, unit: "JC-002").listOverdue(overdue)
        } throws: { ($0 as? RPCError)?.code == .permissionDenied && ($0 as? RPCError)?.message == "unit_code: a clerk of JC-002 may not look at JC-001" }
        #expect(late.volunteers.count == 29 && !late.volunteers.contains { $0.volunteerID == 1 })
        #expect(late.volunteers.first { $0.volunteerID == 2 }?.hours == 2)
        #expect(late.nextAfterVolunteerID == 0)

        // Pages of 10: together the whole list, by id; a bad page size is refused naming it.
        overdue.pageSize = 10
        var pages = [try await fixture.client().listOverdue(overdue)]
        while let next = pages.last?.nextAfterVolunteerID, next != 0 {
            overdue.afterVolunteerID = next
            pages.append(try await fixture.client().listOverdue(overdue))
        }
        #expect(pages.map(\.volunteers.count) == [10, 10, 9] && pages.flatMap(\.volunteers) == late.volunteers)
        overdue.pageSize = 10_001
        await #expect {
            _ = try await fixture.client().listOverdue(overdue)
        } throws: { ($0 as? RPCError)?.code == .invalidArgument && ($0 as? RPCError)?.message == "page_size: must be 1-10000 (0 means 1000), got 10001" }
    }

    @Test("a bad attendance sheet records nothing and names every bad row")
    func badSheet() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id)
        _ = try await Self.enroll(fixture, session: session.id, volunteer: 1)
        let sheet = Self.sheet(session: session.id, [(1, true, 0.0), (7, true, 0.0), (1, true, 9.0)])
        await #expect {
            _ = try await fixture.client().recordAttendance(sheet)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .invalidArgument
                && error.details?.fieldViolations.map(\.field) == ["rows[2].volunteer_id", "rows[3].volunteer_id", "rows[3].hours"]
        }
        #expect(try await fixture.store.records(volunteerIDs: [1]).isEmpty)
    }

    @Test("cancelling and rescheduling name the enrolled to notify; a smaller room than the enrolled is refused")
    func cancelAndReschedule() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id)
        for volunteer in [5, 3] { _ = try await Self.enroll(fixture, session: session.id, volunteer: Int64(volunteer)) }
        var move = Pingan_Training_V1_RescheduleSessionRequest()
        move.id = session.id
        move.starts = "2009-11-21 09:00"
        move.ends = "2009-11-21 12:00"
        let moved = try await fixture.client().rescheduleSession(move)
        #expect(moved.notifyVolunteerIds == [3, 5] && moved.session.starts == "2009-11-21 09:00")
        move.capacity = 1
        await #expect {
            _ = try await fixture.client().rescheduleSession(move)
        } throws: { ($0 as? RPCError)?.details?.fieldViolations.map(\.rule) == ["BELOW_ENROLLED"] }
        var cancel = Pingan_Training_V1_CancelSessionRequest()
        cancel.id = session.id
        cancel.reason = "讲师生病"
        let cancelled = try await fixture.client().cancelSession(cancel)
        #expect(cancelled.notifyVolunteerIds == [3, 5] && cancelled.session.status == "cancelled" && cancelled.session.enrolled == 0)
        await #expect {
            _ = try await Self.enroll(fixture, session: session.id, volunteer: 7)
        } throws: { ($0 as? RPCError)?.details?.fieldViolations.map(\.rule) == ["SESSION_CANCELLED"] }
        let audit = try await fixture.store.auditLog().map(\.action)
        #expect(audit == ["training.createCourse", "training.scheduleSession", "training.enroll", "training.enroll",
                          "training.rescheduleSession", "training.cancelSession"])
    }

    @Test("an enrollment retried with its idempotency key is answered again, not refused as a duplicate")
    func idempotentEnrollment() async throws {
        let fixture = try Self.fixture()
        let course = try await Self.course(fixture)
        let session = try await Self.session(fixture, course: course.id)
        var request = Pingan_Training_V1_EnrollRequest()
        request.sessionID = session.id
        request.volunteerID = 1
        let first = try await fixture.client().enroll(request, options: Self.options(key: "enroll-1"))
        let retry = try await fixture.client().enroll(request, options: Self.options(key: "enroll-1"))
        #expect(first.seatsLeft == 9 && retry.seatsLeft == 9)
        await #expect {
            _ = try await fixture.client().enroll(request)
        } throws: { ($0 as? RPCError)?.details?.fieldViolations.map(\.rule) == ["ALREADY_ENROLLED"] }
    }
}

import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS
import PinganTrainingContracts

/// `pingan-training-demo`: the quick start's training scenario, through the APIs. Creates the
/// town plan's courses, schedules pre-job sessions from November 2009 on, enrolls active
/// volunteers the registry lists, and records attendance for the sessions held by `--today`.
/// Every call carries an idempotency key (attendance sheets replace themselves), so a second
/// run changes nothing.
@main
struct TrainingDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pingan-training-demo", abstract: "Load the quick start's courses, sessions and attendance into pingan-training.")

    @Option var registry = "127.0.0.1:7401"
    @Option var training = "127.0.0.1:7402"
    @Option(help: "Client certificate (an admin in both services' ACL).") var cert: String
    @Option var key: String
    @Option var ca: String
    @Option(help: "How many active volunteers to enroll in pre-job sessions.") var volunteers = 3000
    @Option(help: "Sessions up to this day have been held, YYYY-MM-DD.") var today = "2009-11-30"

    func run() async throws {
        guard let today = CalendarDay(iso: today) else { throw ValidationError("--today '\(self.today)' is not YYYY-MM-DD") }
        let tls = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: cert, privateKeyPath: key, trustRootsPath: ca))
        let registry = try await Self.connect(self.registry, tls)
        let training = try await Self.connect(self.training, tls)
        do {
            try await load(registry: registry, training: training, today: today)
        } catch {
            await registry.close()
            await training.close()
            throw error
        }
        await registry.close()
        await training.close()
    }

    func load(registry: RPCConnection, training: RPCConnection, today: CalendarDay) async throws {
        let people = try await Self.activeVolunteers(registry, limit: volunteers)
        let courses = try await createCourses(training)
        let sessions = try await schedule(training, course: courses[0], seats: people.count)
        var enrolled: [Int64: [Int64]] = [:]
        for (index, volunteer) in people.enumerated() {
            let session = sessions[index % sessions.count]
            var request = Pingan_Training_V1_EnrollRequest()
            request.sessionID = session.id
            request.volunteerID = volunteer
            let _: Pingan_Training_V1_Enrollment = try await TrainingClient(training).enroll(request, options: Self.key("enroll-\(volunteer)"))
            enrolled[session.id, default: []].append(volunteer)
        }
        var held = 0, present = 0, completed = 0
        for session in sessions where CalendarDay(iso: session.starts.prefix(10)).map({ $0 <= today }) == true {
            var sheet = Pingan_Training_V1_RecordAttendanceRequest()
            sheet.sessionID = session.id
            // About one in twelve misses their session: they show up in the overdue list.
            sheet.rows = (enrolled[session.id] ?? []).map { volunteer in
                var row = Pingan_Training_V1_AttendanceRow()
                row.volunteerID = volunteer
                row.present = volunteer % 12 != 5
                return row
            }
            guard !sheet.rows.isEmpty else { continue }
            let result: Pingan_Training_V1_AttendanceResult = try await TrainingClient(training).recordAttendance(sheet)
            held += 1
            present += sheet.rows.filter(\.present).count
            completed += result.completedVolunteerIds.count
        }
        print("training: \(courses.count) courses; \(sessions.count) pre-job sessions, \(people.count) volunteers enrolled; "
              + "\(held) sessions held by \(today): \(present) attended, \(completed) newly completed")
    }

    static func connect(_ text: String, _ tls: TLSContext) async throws -> RPCConnection {
        guard let address = ServiceAddress(text) else { throw ValidationError("'\(text)' is not host:port") }
        return try await RPCConnection.connect(host: address.host, port: address.port, tls: tls)
    }

    static func key(_ name: String) -> CallOptions {
        var metadata = Metadata()
        metadata.idempotencyKey = "demo-training-\(name)"
        return CallOptions(metadata: metadata)
    }

    /// Active volunteers in id order, a page at a time.
    static func activeVolunteers(_ registry: RPCConnection, limit: Int) async throws -> [Int64] {
        var search = Pingan_Registry_V1_SearchVolunteersRequest()
        search.status = "active"
        search.pageSize = 500
        var ids: [Int64] = []
        repeat {
            let page: Pingan_Registry_V1_VolunteerPage = try await RegistryClient(registry).searchVolunteers(search)
            ids += page.volunteers.map(\.id)
            search.pageToken = page.nextPageToken
        } while !search.pageToken.isEmpty && ids.count < limit
        return Array(ids.prefix(limit))
    }

    func createCourses(_ training: RPCConnection) async throws -> [Pingan_Training_V1_Course] {
        let plan: [(String, String, String, [String], String, Double)] = [
            ("PJ-01", "平安志愿者岗前培训", "pre_job", [], "pre_job_training", 4),
            ("PQ-01", "上岗提升培训", "post_quality", [], "post_training", 4),
            ("PS-HL", "护楼巡查技能", "project_skill", ["building_guard"], "post_training", 2),
        ]
        var courses: [Pingan_Training_V1_Course] = []
        for (code, name, kind, projects, deadline, hours) in plan {
            var request = Pingan_Training_V1_CreateCourseRequest()
            request.code = code
            request.name = name
            request.kind = kind
            request.projects = projects
            request.deadlinePhase = deadline
            request.validThroughPhase = "expo"
            request.requiredHours = hours
            courses.append(try await TrainingClient(training).createCourse(request, options: Self.key("course-\(code)")))
        }
        return courses
    }

    /// Two four-hour sittings a weekday from 2 November 2009, 60 seats each, five trainers.
    func schedule(_ training: RPCConnection, course: Pingan_Training_V1_Course, seats: Int) async throws -> [Pingan_Training_V1_Session] {
        let places = ["镇政府3号楼303室", "镇社区文化中心", "镇派出所会议室"]
        let trainers = ["周海燕", "孙丽", "吴军", "郑敏", "冯涛"]
        var sessions: [Pingan_Training_V1_Session] = []
        var day = CalendarDay(iso: "2009-11-02")!
        var weekday = 0  // 2 November 2009 was a Monday
        while sessions.count * 60 < seats {
            if weekday < 5 {
                for (start, end) in [("08:30", "12:30"), ("13:30", "17:30")] {
                    let index = sessions.count
                    var request = Pingan_Training_V1_ScheduleSessionRequest()
                    request.courseID = course.id
                    request.starts = "\(day) \(start)"
                    request.ends = "\(day) \(end)"
                    request.place = places[index % places.count]
                    request.capacity = 60
                    request.trainer = trainers[index % trainers.count]
                    sessions.append(try await TrainingClient(training).scheduleSession(request, options: Self.key("session-\(index)")))
                }
            }
            day = day.next
            weekday = (weekday + 1) % 7
        }
        return sessions
    }
}

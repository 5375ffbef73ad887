import ArgumentParser
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTLS
import PinganTrainingContracts
import PinganProtocolContracts

/// Measures CheckQualifications for `--batch` volunteers against a running pingan-training
/// (with its pingan-registry), after loading a corps and its training records through the APIs.
/// The baseline, from the same run and connection, is Health/Check: the cost of a call that
/// does no work. Prints one JSON line.
struct BenchTraining: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "training-qualify", abstract: "Measure batch qualification in the training service.")

    @Option var host = "127.0.0.1"
    @Option var registryPort = 7401
    @Option var trainingPort = 7402
    @Option(help: "Volunteers registered.") var volunteers = 6249
    @Option(help: "Volunteers enrolled and trained (half of them complete).") var trained = 2000
    @Option(help: "Volunteers per CheckQualifications call.") var batch = 1000
    @Option var rounds = 200
    @Flag(help: "Load the corps and its training, measure nothing (for other benchmarks' set-up).")
    var loadOnly = false
    @OptionGroup var tls: TLSFlags

    func run() async throws {
        let context = try TLSContext(configuration: TLSConfiguration(role: .client, certificateChainPath: tls.cert, privateKeyPath: tls.key, trustRootsPath: tls.ca))
        let registry = try await RPCConnection.connect(host: host, port: registryPort, tls: context)
        let training = try await RPCConnection.connect(host: host, port: trainingPort, tls: context)
        let first = try await BenchRegistry.importVolunteers(registry, count: volunteers, batchSize: 5000)
        await registry.close()
        try await load(training, first: first)
        if loadOnly {
            await training.close()
            print(#"{"volunteers":\#(volunteers),"trained":\#(trained),"first_volunteer_id":\#(first)}"#)
            return
        }

        let ids = (0..<Int64(batch)).map { first + $0 * Int64(volunteers) / Int64(batch) }
        var request = Pingan_Training_V1_CheckQualificationsRequest()
        request.volunteerIds = ids
        request.project = "building_guard"
        request.on = "2010-03-01"
        var qualified = 0
        let batchSamples = try await Self.sample(rounds) {
            let answer: Pingan_Training_V1_QualificationList = try await TrainingClient(training).checkQualifications(request)
            qualified = answer.qualifications.filter(\.qualified).count
        }
        let healthSamples = try await Self.sample(rounds * 5) {
            let _: Pingan_Health_V1_HealthCheckResponse = try await training.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        }
        var single = Pingan_Training_V1_CheckQualificationRequest()
        single.project = request.project
        single.on = request.on
        let singleStart = ContinuousClock.now
        for id in ids {
            single.volunteerID = id
            let _: Pingan_Training_V1_Qualification = try await TrainingClient(training).checkQualification(single)
        }
        let singles = ContinuousClock.now - singleStart
        await training.close()

        let p50 = Self.percentile(batchSamples, 0.5), p99 = Self.percentile(batchSamples, 0.99), health = Self.percentile(healthSamples, 0.5)
        let singlesMicros = Double(singles.components.seconds) * 1e6 + Double(singles.components.attoseconds) / 1e12
        print(#"{"volunteers":\#(volunteers),"trained":\#(trained),"batch":\#(batch),"qualified_in_batch":\#(qualified),"rounds":\#(rounds),"batch_p50_us":\#(oneDecimal(p50)),"batch_p99_us":\#(oneDecimal(p99)),"health_p50_us":\#(oneDecimal(health)),"batch_p50_over_health_p50":\#(twoDecimals(p50 / health)),"sequential_single_calls_us":\#(oneDecimal(singlesMicros)),"singles_over_batch_p50":\#(twoDecimals(singlesMicros / p50))}"#)
    }

    /// A pre-job course and enough sessions for `trained` volunteers, enrolled 16 at a time;
    /// every other volunteer attends.
    func load(_ training: RPCConnection, first: Int64) async throws {
        var course = Pingan_Training_V1_CreateCourseRequest()
        course.code = "PJ-BENCH"
        course.name = "岗前培训"
        course.kind = "pre_job"
        course.deadlinePhase = "pre_job_training"
        course.validThroughPhase = "expo"
        course.requiredHours = 4
        let created: Pingan_Training_V1_Course = try await TrainingClient(training).createCourse(course)
        var sessions: [Int64] = []
        for index in 0..<((trained + 999) / 1000) {
            var schedule = Pingan_Training_V1_ScheduleSessionRequest()
            schedule.courseID = created.id
            schedule.starts = "2009-11-\(10 + index) 08:30"
            schedule.ends = "2009-11-\(10 + index) 12:30"
            schedule.place = "镇政府"
            schedule.capacity = 1000
            schedule.trainer = "trainer-\(index % 3)"
            let session: Pingan_Training_V1_Session = try await TrainingClient(training).scheduleSession(schedule)
            sessions.append(session.id)
        }
        let sessionIDs = sessions
        let stride = max(1, volunteers / trained)
        let people = (0..<Int64(trained)).map { first + $0 * Int64(stride) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    for (index, volunteer) in people.enumerated() where index % 16 == worker {
                        var enroll = Pingan_Training_V1_EnrollRequest()
                        enroll.sessionID = sessionIDs[index / 1000]
                        enroll.volunteerID = volunteer
                        let _: Pingan_Training_V1_Enrollment = try await TrainingClient(training).enroll(enroll)
                    }
                }
            }
            try await group.waitForAll()
        }
        for (number, session) in sessions.enumerated() {
            var sheet = Pingan_Training_V1_RecordAttendanceRequest()
            sheet.sessionID = session
            sheet.rows = people.enumerated().filter { $0.offset / 1000 == number }.map { index, volunteer in
                var row = Pingan_Training_V1_AttendanceRow()
                row.volunteerID = volunteer
                row.present = index % 2 == 0
                return row
            }
            let _: Pingan_Training_V1_AttendanceResult = try await TrainingClient(training).recordAttendance(sheet)
        }
    }

    static func sample(_ count: Int, _ body: () async throws -> Void) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count {
            let started = ContinuousClock.now
            try await body()
            let elapsed = ContinuousClock.now - started
            samples.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
        }
        return samples.sorted()
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }
}

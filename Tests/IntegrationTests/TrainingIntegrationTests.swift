import Foundation
import PinganCampaign
import PinganRegistryContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import PinganTrainingContracts
import Testing

@Suite("Training with the real registry over mutual TLS")
struct TrainingIntegrationTests {
    /// The registry trusts the test client as the office and the training service (which calls
    /// with the server certificate) as a service.
    static let registryACL = #"{"identities": [{"match": "cn:town-office", "role": "admin"}, {"match": "cn:pingan-test-server", "role": "service"}]}"#

    static func start(_ name: String, _ arguments: [String], port: Int = 0) async throws -> (RunningProcess, Int) {
        let process = try RunningProcess(try BuiltExecutables.path(name), ["--port", "\(port)"] + arguments)
        let line = try await process.waitForOutput(containing: "listening", within: .seconds(20))
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        return (process, port)
    }

    /// A pre-job course of `hours` and one session of that length on 20 November 2009.
    static func preJobSession(_ connection: RPCConnection, hours: Int, capacity: Int32) async throws -> (Pingan_Training_V1_Course, Pingan_Training_V1_Session) {
        var create = Pingan_Training_V1_CreateCourseRequest()
        create.code = "PJ-01"
        create.name = "岗前培训"
        create.kind = "pre_job"
        create.deadlinePhase = "pre_job_training"
        create.requiredHours = Double(hours)
        let course: Pingan_Training_V1_Course = try await connection.unary(TrainingMethods.createCourse, create)
        var schedule = Pingan_Training_V1_ScheduleSessionRequest()
        schedule.courseID = course.id
        schedule.starts = "2009-11-20 09:00"
        schedule.ends = "2009-11-20 \(zeroPadded(9 + hours, 2)):00"
        schedule.place = "镇政府3号楼303室"
        schedule.capacity = capacity
        schedule.trainer = "周海燕"
        return (course, try await connection.unary(TrainingMethods.scheduleSession, schedule))
    }

    @Test("training enrolls volunteers the registry calls active, refuses others, and says so when the registry is gone")
    func enrollThroughRegistry() async throws {
        let tls = ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem")]
        // A quiet port: once this registry is killed, no other test's server can come to listen
        // there, so "the registry is gone" stays true.
        let (registry, registryPort) = try await Self.start(
            "pingan-registry", tls + ["--acl", ExecutableTests.aclFile(Self.registryACL)] + ExecutableTests.storageFlags(), port: try Socket.quietPort())
        defer { registry.kill() }
        let trainingDatabase = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-training-\(UUID()).sqlite").path
        let (training, trainingPort) = try await Self.start("pingan-training", tls + [
            "--acl", ExecutableTests.aclFile(#"{"identities": [{"match": "cn:town-office", "role": "admin"}]}"#),
            "--database", trainingDatabase, "--peer", "registry=127.0.0.1:\(registryPort)",
        ])
        defer { training.kill() }

        let office = try TestCertificates.context(.client, identity: "client")
        let registryConnection = try await RPCConnection.connect(host: "127.0.0.1", port: registryPort, tls: office)
        let _: Pingan_Registry_V1_SaveUnitsResponse = try await registryConnection.unary(RegistryMethods.saveUnits, RegistryFixtures.units())
        let rows = (1...3).map { ("学员\($0)", RegistryFixtures.idNumber(sequence: $0)) }
        let batch = try await RegistryFixtures.register(registryConnection, batch: "t-1", unit: "DEPT-ZZB", category: 1, rows: rows)
        var suspend = Pingan_Registry_V1_DecideApplicationRequest()
        suspend.volunteerID = batch.firstVolunteerID + 2
        suspend.decision = "suspend"
        suspend.reason = "长期外出"
        let _: Pingan_Registry_V1_ApplicationStatus = try await registryConnection.unary(RegistryMethods.decideApplication, suspend)
        await registryConnection.close()

        let connection = try await RPCConnection.connect(host: "127.0.0.1", port: trainingPort, tls: office)
        let (course, session) = try await Self.preJobSession(connection, hours: 3, capacity: 30)
        #expect(course.deadline == "2010-02-13")

        var enroll = Pingan_Training_V1_EnrollRequest()
        enroll.sessionID = session.id
        enroll.volunteerID = batch.firstVolunteerID
        let enrolled: Pingan_Training_V1_Enrollment = try await connection.unary(TrainingMethods.enroll, enroll)
        #expect(enrolled.volunteerName == "学员1" && enrolled.unitCode == "DEPT-ZZB" && enrolled.seatsLeft == 29)
        enroll.volunteerID = batch.firstVolunteerID + 2
        await #expect {
            let _: Pingan_Training_V1_Enrollment = try await connection.unary(TrainingMethods.enroll, enroll)
        } throws: { ($0 as? RPCError)?.message.contains("is suspended in the registry") == true }
        enroll.volunteerID = 999_999
        await #expect {
            let _: Pingan_Training_V1_Enrollment = try await connection.unary(TrainingMethods.enroll, enroll)
        } throws: { ($0 as? RPCError)?.code == .notFound }

        // Short deadlines: whatever is cut short - training's own work or its call to the
        // registry - the answer is OK or DEADLINE_EXCEEDED, never UNAVAILABLE.
        var report = Pingan_Training_V1_GetCompletionReportRequest()
        report.courseID = course.id
        var codes: [RPCError.Code] = []
        for milliseconds in 1...30 {
            do {
                let _: Pingan_Training_V1_CompletionReport = try await connection.unary(
                    TrainingMethods.getCompletionReport, report, options: CallOptions(timeout: .milliseconds(milliseconds)))
                codes.append(.ok)
            } catch let error as RPCError {
                codes.append(error.code)
            }
        }
        #expect(Set(codes).isSubset(of: [.ok, .deadlineExceeded]), "codes seen: \(codes)")

        registry.kill()
        _ = try await registry.waitForExit(within: .seconds(10))
        enroll.volunteerID = batch.firstVolunteerID + 1
        await #expect {
            let _: Pingan_Training_V1_Enrollment = try await connection.unary(TrainingMethods.enroll, enroll, options: CallOptions(timeout: .seconds(10)))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unavailable && error.message.hasPrefix("the registry is unavailable, so volunteer \(batch.firstVolunteerID + 1) cannot be checked")
        }
        var mine = Pingan_Training_V1_GetVolunteerTrainingRequest()
        mine.volunteerID = batch.firstVolunteerID
        let record: Pingan_Training_V1_VolunteerTraining = try await connection.unary(TrainingMethods.getVolunteerTraining, mine)
        #expect(record.upcomingSessions.map(\.id) == [session.id], "training's own data reads without the registry")
        await connection.close()
    }
}

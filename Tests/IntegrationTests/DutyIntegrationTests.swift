import Foundation
import PinganDutyContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

/// The real pingan-registry, pingan-training and pingan-duty over mutual TLS: duty asks the
/// registry whether a volunteer is active and training whether they are qualified.
@Suite("Duty with the real registry and training", .timeLimit(.minutes(2)))
struct DutyIntegrationTests {
    @Test("a trained, active volunteer is fixed to a patrol post; an untrained one is refused naming the course; coverage and compliance read the registry")
    func assignThroughPeers() async throws {
        // Three volunteers in DEPT-ZZB; the first completed pre-job training on 2009-11-20.
        let stack = try await GatewayIntegrationTests.stack(volunteers: 3, trained: 1)
        defer { stack.kill() }
        let client = DutyClient(RPCClient(host: "127.0.0.1", port: stack.dutyPort, tls: try TestCertificates.context(.client, identity: "client")))

        var post = Pingan_Duty_V1_SavePostRequest()
        post.code = "JC-017-P1"
        post.project = "patrol"
        post.unitCode = "JC-017"
        post.place = "十七居委会辖区"
        post.duty = "夜间巡逻"
        post.route = [("居委会", 0), ("菜场", 20)].map { name, minutes in
            var point = Pingan_Duty_V1_Checkpoint()
            point.name = name
            point.minutesFromStart = Int32(minutes)
            return point
        }
        _ = try await client.savePost(post)

        var assign = Pingan_Duty_V1_AssignShiftRequest()
        assign.postCode = "JC-017-P1"
        assign.volunteerID = stack.first
        assign.starts = "2009-12-01 19:00"
        assign.ends = "2009-12-01 23:00"
        let shift = try await client.assignShift(assign)
        #expect(shift.volunteerName == "队员1" && shift.status == "assigned")

        assign.volunteerID = stack.first + 1
        await #expect {
            _ = try await client.assignShift(assign)
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .failedPrecondition && error.details?.fieldViolations.map(\.rule) == ["NOT_QUALIFIED"]
                && error.message.contains("lacks PJ-01")
        }
        assign.volunteerID = 999_999
        await #expect { _ = try await client.assignShift(assign) } throws: { ($0 as? RPCError)?.code == .notFound }

        var coverage = Pingan_Duty_V1_GetCoverageRequest()
        coverage.from = "2009-12-01"
        coverage.to = "2009-12-02"
        let report = try await client.getCoverage(coverage)
        let committee = try #require(report.committeesDetail.first { $0.unitCode == "JC-017" })
        #expect(committee.daysCovered == 1 && committee.uncoveredDays == ["2009-12-02"])

        var compliance = Pingan_Duty_V1_GetComplianceRequest()
        compliance.month = "2010-05"
        let may = try await client.getCompliance(compliance)
        #expect(may.volunteers == 3 && may.minimum == 2 && may.compliant == 0)
    }
}

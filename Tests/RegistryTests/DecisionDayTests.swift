import Foundation
import PinganRegistryContracts
import PinganRPC
@testable import Registry
import Testing

/// Decisions recorded after the day they were made (a committee's paper minutes entered later)
/// keep their day in the volunteer's history.
@Suite("Decision days")
struct DecisionDayTests {
    @Test("the history shows the application's day and each decision's day, in that order; a day after today, before the last change, or not a date is refused")
    func decidedOn() async throws {
        let (connection, _) = try await RegistryServiceTests.clerkServer()
        let applied: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.submitApplication, RegistryServiceTests.application())
        var decision = Pingan_Registry_V1_DecideApplicationRequest()
        decision.volunteerID = applied.volunteerID
        decision.decision = "committee_accept"
        for bad in ["2999-01-01", "15/10/2009"] {
            decision.decidedOn = bad
            await #expect { let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision) } throws: {
                ($0 as? RPCError)?.code == .invalidArgument && ($0 as? RPCError)?.message.hasPrefix("decided_on:") == true
            }
        }
        decision.decidedOn = "2009-10-14"
        await #expect { let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision) } throws: {
            ($0 as? RPCError)?.code == .failedPrecondition && ($0 as? RPCError)?.details?.fieldViolations.first?.rule == "BEFORE_LAST_CHANGE"
        }
        decision.decidedOn = "2009-10-22"
        let _: Pingan_Registry_V1_ApplicationStatus = try await connection.unary(RegistryMethods.decideApplication, decision)

        var request = Pingan_Registry_V1_GetVolunteerHistoryRequest()
        request.volunteerID = applied.volunteerID
        let history: Pingan_Registry_V1_VolunteerHistory = try await connection.unary(RegistryMethods.getVolunteerHistory, request)
        #expect(history.entries.map { "\($0.on) \($0.to)" } == ["2009-10-15 applied", "2009-10-22 committee_accepted"])
        #expect(history.entries.allSatisfy { $0.at.hasPrefix("20") && !$0.at.hasPrefix("2009") }, "recorded now, effective then")
    }
}

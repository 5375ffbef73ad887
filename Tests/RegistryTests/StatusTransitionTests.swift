import PinganRules
import Registry
import Testing

@Suite("Volunteer status transitions")
struct StatusTransitionTests {
    @Test("the public-application path: applied -> committee_accepted -> active")
    func applicationPath() throws {
        let accepted = try StatusTransitions.apply(.committeeAccept, to: .applied, by: .unitClerk).get()
        #expect(accepted == .committeeAccepted)
        #expect(try StatusTransitions.apply(.officeApprove, to: accepted, by: .office).get() == .active)
    }

    @Test("each decision applies only from its statuses, and only by whom the plan says", arguments: [
        (StatusDecision.committeeReject(reason: "not resident"), VolunteerStatus.applied, Decider.unitClerk, "rejected"),
        (.officeApprove, .applied, .office, "WRONG_STATUS"),
        (.officeApprove, .committeeAccepted, .unitClerk, "OFFICE_ONLY"),
        (.officeReject(reason: "quota full"), .committeeAccepted, .office, "rejected"),
        (.suspend(reason: "absent from duty"), .active, .unitClerk, "suspended"),
        (.suspend(reason: "x"), .applied, .office, "WRONG_STATUS"),
        (.reinstate, .suspended, .unitClerk, "OFFICE_ONLY"),
        (.reinstate, .suspended, .office, "active"),
        (.withdraw(reason: "moved away"), .suspended, .unitClerk, "withdrawn"),
        (.withdraw(reason: "moved away"), .rejected, .office, "WRONG_STATUS"),
        (.committeeAccept, .withdrawn, .office, "WRONG_STATUS"),
    ])
    func rules(_ decision: StatusDecision, _ from: VolunteerStatus, _ decider: Decider, _ expected: String) {
        switch StatusTransitions.apply(decision, to: from, by: decider) {
        case .success(let status): #expect(status.rawValue == expected)
        case .failure(let refusal): #expect(refusal.rule == expected, "\(refusal)")
        }
    }

    @Test("a refusal, suspension or withdrawal must say why")
    func reasonsRequired() {
        guard case .failure(let refusal) = StatusTransitions.apply(.committeeReject(reason: "  "), to: .applied, by: .unitClerk) else {
            Issue.record("expected a refusal"); return
        }
        #expect(refusal.description == "reason: rejecting at the committee needs a reason")
    }

    @Test func wrongStatusMessageNamesWhatIsNeeded() {
        guard case .failure(let refusal) = StatusTransitions.apply(.officeApprove, to: .applied, by: .office) else {
            Issue.record("expected a refusal"); return
        }
        #expect(refusal.description == "decision: approving at the town office needs a volunteer who is committee_accepted, this one is applied")
        #expect(refusal.kind == .state)
    }
}

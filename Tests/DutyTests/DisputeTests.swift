@testable import Duty
import Foundation
import PinganCampaign
import PinganDutyContracts
import PinganRPC
import Testing

/// Dispute cases: mediation steps until a settlement or a referral, nothing after; parties and
/// notes sealed; only admins and coordinators see them.
@Suite("Duty: dispute cases")
struct DisputeTests {
    static func opening(parties: [String] = ["张某（楼上）", "李某（楼下）"], on day: String = "2010-05-03") -> Pingan_Duty_V1_OpenDisputeRequest {
        var request = Pingan_Duty_V1_OpenDisputeRequest()
        request.unitCode = "JC-001"
        request.kind = "neighbour"
        request.parties = parties
        request.summary = "楼上漏水殃及楼下，双方争执"
        request.openedOn = day
        request.mediatorVolunteerID = 4
        return request
    }

    static func step(_ id: Int64, _ action: String, on day: String, note: String = "", referredTo: String = "") -> Pingan_Duty_V1_AdvanceDisputeRequest {
        var request = Pingan_Duty_V1_AdvanceDisputeRequest()
        request.id = id
        request.action = action
        request.on = day
        request.note = note
        request.referredTo = referredTo
        return request
    }

    @Test("a case is mediated, then settled with its outcome; a closed case takes no step, naming why; parties are sealed at rest")
    func mediatedToSettlement() async throws {
        let fixture = try KeyPersonTests.fixture()
        let coordinator = fixture.client(.coordinator, unit: "JC-001")
        let opened = try await coordinator.openDispute(Self.opening())
        #expect(opened.status == "open" && opened.parties == ["张某（楼上）", "李某（楼下）"])
        _ = try await coordinator.advanceDispute(Self.step(opened.id, "mediate", on: "2010-05-04", note: "双方同意请物业检修"))
        let settled = try await coordinator.advanceDispute(Self.step(opened.id, "settle", on: "2010-05-10", note: "楼上承担维修费用"))
        #expect(settled.status == "settled" && settled.closedOn == "2010-05-10" && settled.steps.map(\.action) == ["mediate", "settle"])

        for action in DisputeAction.allCases {
            let refused = await DutyServiceTests.refusal {
                _ = try await coordinator.advanceDispute(Self.step(opened.id, action.rawValue, on: "2010-05-11", note: "再议", referredTo: "镇法律服务所"))
            }
            #expect(refused?.code == .failedPrecondition && refused?.details?.fieldViolations.first?.rule == "DISPUTE_CLOSED", "\(action)")
        }
        let file = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        #expect(file.range(of: Data("张某".utf8)) == nil && file.range(of: Data("维修费用".utf8)) == nil)
    }

    @Test("a referral names its legal service; a settlement its outcome; no step before the opening; two parties at least")
    func stepRules() async throws {
        let fixture = try KeyPersonTests.fixture()
        let admin = fixture.client(.admin)
        let opened = try await admin.openDispute(Self.opening())
        let cases: [(Pingan_Duty_V1_AdvanceDisputeRequest, String)] = [
            (Self.step(opened.id, "refer", on: "2010-05-04"), "REFERRAL_REQUIRED"),
            (Self.step(opened.id, "settle", on: "2010-05-04"), "OUTCOME_REQUIRED"),
            (Self.step(opened.id, "mediate", on: "2010-05-04"), "NOTE_REQUIRED"),
            (Self.step(opened.id, "mediate", on: "2010-05-02", note: "提前"), "BEFORE_OPENING"),
        ]
        for (request, rule) in cases {
            let refused = await DutyServiceTests.refusal { _ = try await admin.advanceDispute(request) }
            #expect(refused?.details?.fieldViolations.map(\.rule) == [rule])
        }
        let referred = try await admin.advanceDispute(Self.step(opened.id, "refer", on: "2010-05-04", note: "调解不成", referredTo: "镇法律服务所"))
        #expect(referred.status == "referred" && referred.referredTo == "镇法律服务所")
        let alone = await DutyServiceTests.refusal { _ = try await admin.openDispute(Self.opening(parties: ["张某"])) }
        #expect(alone?.details?.fieldViolations.map(\.rule) == ["PARTIES"])
        let badStep = await DutyServiceTests.refusal { _ = try await admin.advanceDispute(Self.step(opened.id, "appeal", on: "2010-05-05")) }
        #expect(badStep?.code == .invalidArgument && badStep?.message.contains("mediate, settle, refer") == true)

        var open = Pingan_Duty_V1_ListDisputesRequest()
        #expect(try await admin.listDisputes(open).disputes.isEmpty, "closed cases are left out unless asked for")
        open.includeClosed = true
        let all = try await admin.listDisputes(open)
        #expect(all.disputes.count == 1 && all.referred == 1)
    }

    @Test("a clerk, an auditor and another unit's coordinator do not see the cases: PERMISSION_DENIED or NOT_FOUND, never an empty answer")
    func onlyAllowedRoles() async throws {
        let fixture = try KeyPersonTests.fixture()
        let opened = try await fixture.client(.admin).openDispute(Self.opening())
        for (role, unit) in [(Role.clerk, "JC-001"), (.auditor, nil)] {
            let refused = await DutyServiceTests.refusal { _ = try await fixture.client(role, unit: unit).listDisputes(Pingan_Duty_V1_ListDisputesRequest()) }
            #expect(refused?.code == .permissionDenied, "\(role)")
        }
        let other = await DutyServiceTests.refusal {
            _ = try await fixture.client(.coordinator, unit: "JC-002").advanceDispute(Self.step(opened.id, "mediate", on: "2010-05-04", note: "越权"))
        }
        #expect(other?.code == .notFound)
    }
}

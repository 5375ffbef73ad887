import PinganCampaign
import PinganPersonalData
import PinganRules
@testable import Registry
import Testing

@Suite("Public applications in the store")
struct ApplicationStoreTests {
    static let day = CalendarDay(iso: "2009-10-15")!

    static func applicant(born: String = "1950-03-01", since: String? = nil) -> Applicant {
        let body = "310101" + born.filter { $0 != "-" } + "123"
        let id = body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue)))
        let residency: Applicant.Residency = since.map { .otherProvince(since: CalendarDay(iso: $0)!) } ?? .shanghaiHousehold
        return Applicant(name: "赵桂英", identity: .residentID(id), birthDate: CalendarDay(iso: born)!, residency: residency)
    }

    static func store() async throws -> RegistryStore {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        try await store.saveUnits(Array(TownStructure.townPlan2010.units.prefix(70)), actor: "setup", requestID: "r")
        return store
    }

    @Test("apply at a committee, accepted there, approved by the office: an active volunteer with its history")
    func fullPath() async throws {
        let store = try await Self.store()
        let id = try await store.submitApplication(Self.applicant(), phone: "13912345678", unitCode: "JC-017", on: Self.day,
                                                   rules: .townPlan2010, actor: "clerk-017", requestID: "a1")
        #expect(try await store.decide(.committeeAccept, volunteerID: id, by: .unitClerk, scope: "JC-017", actor: "clerk-017", requestID: "a2")
            == .committeeAccepted)
        #expect(try await store.decide(.officeApprove, volunteerID: id, by: .office, scope: nil, actor: "office", requestID: "a3") == .active)
        let history = try await store.statusHistory(volunteerID: id)
        #expect(history.map(\.to) == [.applied, .committeeAccepted, .active])
        #expect(history.map(\.actor) == ["clerk-017", "clerk-017", "office"])
        let counts = try await store.enrolmentCounts(unitCode: "JC-017")
        #expect(counts.byCategory[9] == 1)
    }

    @Test("an ineligible applicant is refused with every failed rule and nothing is stored")
    func ineligible() async throws {
        let store = try await Self.store()
        var applicant = Self.applicant(born: "1940-01-01", since: "2009-06-01")
        applicant.hasStableJob = false
        await #expect {
            _ = try await store.submitApplication(applicant, phone: nil, unitCode: "JC-017", on: Self.day, rules: .townPlan2010,
                                                  actor: "clerk", requestID: "r")
        } throws: { error in
            (error as? Refusal)?.rules.map(\.rule) == ["AGE_ABOVE_MAXIMUM", "RESIDENCE_TOO_SHORT", "STABLE_JOB_REQUIRED"]
        }
        #expect(try await store.volunteerCount() == 0)
    }

    @Test("applications are made at residential committees, once per person")
    func placeAndDuplicates() async throws {
        let store = try await Self.store()
        await #expect {
            _ = try await store.submitApplication(Self.applicant(), phone: nil, unitCode: "DEPT-ZZB", on: Self.day, rules: .townPlan2010,
                                                  actor: "c", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.rule == "NOT_A_RESIDENTIAL_COMMITTEE" }
        _ = try await store.submitApplication(Self.applicant(), phone: nil, unitCode: "JC-017", on: Self.day, rules: .townPlan2010,
                                              actor: "c", requestID: "r")
        await #expect {
            _ = try await store.submitApplication(Self.applicant(), phone: nil, unitCode: "JC-018", on: Self.day, rules: .townPlan2010,
                                                  actor: "c", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.rule == "ALREADY_REGISTERED" }
    }

    @Test("a clerk decides only in their unit, and a decision at the wrong status is refused")
    func scopeAndStatus() async throws {
        let store = try await Self.store()
        let id = try await store.submitApplication(Self.applicant(), phone: nil, unitCode: "JC-017", on: Self.day, rules: .townPlan2010,
                                                   actor: "c", requestID: "r")
        #expect(try await store.decide(.committeeAccept, volunteerID: id, by: .unitClerk, scope: "JC-018", actor: "c", requestID: "r") == nil)
        await #expect {
            _ = try await store.decide(.officeApprove, volunteerID: id, by: .office, scope: nil, actor: "office", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.first?.rule == "WRONG_STATUS" }
        #expect(try await store.decide(.committeeReject(reason: "不在本社区居住"), volunteerID: id, by: .unitClerk, scope: "JC-017",
                                       actor: "c", requestID: "r") == .rejected)
        #expect(try await store.statusHistory(volunteerID: id).last?.reason == "不在本社区居住")
    }
}

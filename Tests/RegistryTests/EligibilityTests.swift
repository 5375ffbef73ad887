import PinganCampaign
import Registry
import Testing

@Suite("Public-recruitment eligibility")
struct EligibilityTests {
    static let applicationDay = CalendarDay(iso: "2009-10-15")!

    /// A Shanghai applicant born on `birth`, with a valid ID number for that date.
    static func local(born birth: String, waiver: Applicant.AgeWaiver? = nil) -> Applicant {
        let day = CalendarDay(iso: birth)!
        let digits = Array("310101" + birth.replacingDashes() + "121").compactMap(\.wholeNumberValue)
        let id = "310101" + birth.replacingDashes() + "121" + String(ResidentID.checkCharacter(for: digits))
        return Applicant(name: "王秀英", identity: .residentID(id), birthDate: day, residency: .shanghaiHousehold, ageWaiver: waiver)
    }

    static func rules(_ applicant: Applicant) -> [String] {
        Eligibility.evaluate(applicant, on: applicationDay, rules: .townPlan2010).map(\.rule)
    }

    @Test("the age limits hold from the 18th birthday to the day before the 66th", arguments: [
        ("1991-10-16", ["AGE_BELOW_MINIMUM"]),  // 17 the day before the 18th birthday
        ("1991-10-15", []),                      // 18th birthday
        ("1943-10-16", []),                      // 65, the day before the 66th birthday
        ("1943-10-15", ["AGE_ABOVE_MAXIMUM"]),  // 66th birthday
    ])
    func ageBoundaries(_ birth: String, _ expected: [String]) {
        #expect(Self.rules(Self.local(born: birth)) == expected)
    }

    @Test func rejectsApplicantAged66WithoutWaiver() {
        let violations = Eligibility.evaluate(Self.local(born: "1943-10-15"), on: Self.applicationDay, rules: .townPlan2010)
        #expect(violations.map(\.description) == ["applicant.birthDate: age 66 is above 65 and no waiver was given"])
    }

    @Test("an age waiver relaxes the limit, but only with a reason")
    func waivers() {
        #expect(Self.rules(Self.local(born: "1943-10-15", waiver: .init(reason: "retired police officer, fit"))) == [])
        #expect(Self.rules(Self.local(born: "1943-10-15", waiver: .init(reason: "  "))) == ["WAIVER_REASON_REQUIRED"])
    }

    static func migrant(since: String, job: Bool = true, home: Bool = true) -> Applicant {
        var applicant = local(born: "1980-06-01")
        applicant.residency = .otherProvince(since: CalendarDay(iso: since)!)
        applicant.hasStableJob = job
        applicant.hasFixedResidence = home
        return applicant
    }

    @Test("non-local applicants need 6 months' residence, a stable job and a fixed residence", arguments: [
        ("2009-04-16", true, true, ["RESIDENCE_TOO_SHORT"]),  // 5 months
        ("2009-04-15", true, true, []),                       // 6 months
        ("2009-04-15", false, true, ["STABLE_JOB_REQUIRED"]),
        ("2009-04-15", true, false, ["FIXED_RESIDENCE_REQUIRED"]),
        ("2009-09-01", false, false, ["RESIDENCE_TOO_SHORT", "STABLE_JOB_REQUIRED", "FIXED_RESIDENCE_REQUIRED"]),
        ("2010-01-01", true, true, ["RESIDENCE_IN_FUTURE"]),
    ])
    func residency(_ since: String, _ job: Bool, _ home: Bool, _ expected: [String]) {
        #expect(Self.rules(Self.migrant(since: since, job: job, home: home)) == expected)
    }

    @Test("a foreign applicant registers with a passport")
    func foreigners() {
        var applicant = Self.migrant(since: "2008-01-01")
        applicant.residency = .foreign(since: CalendarDay(iso: "2008-01-01")!)
        applicant.identity = .passport(number: "E12345678", country: "DE")
        #expect(Self.rules(applicant) == [])
        applicant.identity = .passport(number: " ", country: "")
        #expect(Self.rules(applicant) == ["DOCUMENT_NUMBER_REQUIRED", "DOCUMENT_COUNTRY_REQUIRED"])
    }

    @Test("the ID number must be valid and carry the declared birth date")
    func identity() {
        var applicant = Self.local(born: "1980-06-01")
        applicant.birthDate = CalendarDay(iso: "1980-06-02")!
        #expect(Self.rules(applicant) == ["ID_BIRTH_DATE_MISMATCH"])
        applicant.identity = .residentID("110105194912310023")
        #expect(Self.rules(applicant).first == "GB11643_CHECK_DIGIT")
        applicant.identity = .passport(number: "E1", country: "CN")
        #expect(Self.rules(applicant) == ["RESIDENT_ID_REQUIRED"])
    }

    @Test("health, willingness and time must all be declared; every failure is listed")
    func declarations() {
        var applicant = Self.local(born: "1980-06-01")
        applicant.declaresGoodHealth = false
        applicant.willingToServe = false
        applicant.hasTimeToServe = false
        #expect(Self.rules(applicant) == ["HEALTH_NOT_DECLARED", "WILLINGNESS_NOT_DECLARED", "TIME_NOT_DECLARED"])
    }

    @Test("limits come from the campaign's rules, not constants")
    func rulesAreData() {
        let stricter = EligibilityRules(minimumAge: 20, maximumAge: 60, minimumResidenceMonths: 12)
        #expect(Eligibility.evaluate(Self.local(born: "1990-01-01"), on: Self.applicationDay, rules: stricter).map(\.rule) == ["AGE_BELOW_MINIMUM"])
    }
}

extension String {
    fileprivate func replacingDashes() -> String { filter { $0 != "-" } }
}

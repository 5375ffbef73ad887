import PinganCampaign
import PinganPersonalData
@testable import Registry
import Testing

@Suite("Town structure, synthetic corps and progress")
struct SeedDataTests {
    static let day = CalendarDay(iso: "2009-10-31")!

    @Test("the town has 51 residential committees, 3 village committees with 14 groups, parents listed first")
    func structure() {
        let units = TownStructure.townPlan2010.units
        #expect(units.filter { $0.kind == .residentialCommittee }.count == 51)
        #expect(units.filter { $0.kind == .villageCommittee }.count == 3)
        #expect(units.filter { $0.kind == .villageGroup }.count == 14)
        #expect(units.filter { $0.kind == .keyUnit }.count == 12)
        var seen: Set<String> = []
        for unit in units {
            if let parent = unit.parentCode { #expect(seen.contains(parent), "\(unit.code) before its parent \(parent)") }
            seen.insert(unit.code)
        }
        let registrars = Set(TownStructure.townPlan2010.registrars.values.flatMap { $0 })
        #expect(registrars.isSubset(of: seen))
    }

    @Test("every synthetic batch is valid, IDs are unique across the corps, and each category fills partly")
    func syntheticCorps() {
        var corps = SyntheticCorps(seed: 2010)
        let batches = corps.directedBatches(plan: .townPlan2010, structure: .townPlan2010, on: Self.day)
        var ids: Set<String> = []
        var perCategory: [Int: Int] = [:]
        for batch in batches {
            let (rows, errors) = batch.validate(against: .townPlan2010)
            #expect(errors.isEmpty, "\(batch.batchID): \(errors.prefix(3))")
            for row in rows {
                #expect(ids.insert(row.residentID.value).inserted)
                let age = row.residentID.birthDate.age(on: Self.day)
                #expect((19...64).contains(age))
            }
            perCategory[batch.category, default: 0] += rows.count
        }
        for category in RecruitmentPlan.townPlan2010.categories where category.mode == .directed {
            let enrolled = perCategory[category.number] ?? 0
            #expect(enrolled > category.quota / 2 && enrolled < category.quota, "category \(category.number): \(enrolled) of \(category.quota)")
        }
    }

    @Test("the same seed gives the same corps")
    func reproducible() {
        var a = SyntheticCorps(seed: 7), b = SyntheticCorps(seed: 7)
        #expect(a.directedBatches(plan: .townPlan2010, structure: .townPlan2010, on: Self.day)
            == b.directedBatches(plan: .townPlan2010, structure: .townPlan2010, on: Self.day))
    }

    @Test("progress counts active volunteers against the quotas, for the town and for one unit")
    func progress() async throws {
        let store = try RegistryStore.inMemory(cipher: PersonalDataCipher(key: .random()))
        try await store.saveUnits(TownStructure.townPlan2010.units, actor: "setup", requestID: "r")
        var corps = SyntheticCorps(seed: 1)
        let batches = corps.directedBatches(plan: .townPlan2010, structure: .townPlan2010, on: Self.day)
        for batch in batches where [2, 3].contains(batch.category) {
            _ = try await store.registerBatch(batch, plan: .townPlan2010, actor: "setup", requestID: "r")
        }
        let town = RecruitmentProgress(plan: .townPlan2010, counts: try await store.enrolmentCounts(unitCode: nil))
        let expected2 = batches.filter { $0.category == 2 }.reduce(0) { $0 + $1.rows.count }
        let expected3 = batches.filter { $0.category == 3 }.reduce(0) { $0 + $1.rows.count }
        #expect(town.lines[1].enrolled == expected2)
        #expect(town.lines[2].enrolled == expected3)
        #expect(town.lines[2].subcategories.reduce(0) { $0 + $1.enrolled } == expected3)
        #expect(town.totalQuota == 6249)
        #expect(town.totalEnrolled == expected2 + expected3)

        let committee = RecruitmentProgress(plan: .townPlan2010, counts: try await store.enrolmentCounts(unitCode: "JC-017"))
        #expect(committee.totalEnrolled == batches.first { $0.unitCode == "JC-017" }?.rows.count)
    }
}

@Suite("Synthetic public applications")
struct SyntheticApplicationTests {
    @Test("every fate appears; only the ineligible fail eligibility; ID numbers stay unique across the corps")
    func applications() {
        var corps = SyntheticCorps(seed: 2010)
        let day = CalendarDay(iso: "2009-10-31")!
        let batches = corps.directedBatches(plan: .townPlan2010, structure: .townPlan2010, on: day)
        let applications = corps.publicApplications(structure: .townPlan2010, on: day)
        var ids = Set(batches.flatMap { $0.rows.map(\.idNumber) })
        for application in applications {
            guard case .residentID(let id) = application.applicant.identity else { Issue.record("no ID"); continue }
            #expect(ids.insert(id).inserted, "\(id) repeats")
            let violations = Eligibility.evaluate(application.applicant, on: day, rules: .townPlan2010)
            #expect(violations.isEmpty == (application.fate != .ineligible), "\(application.fate): \(violations)")
        }
        let fates = Set(applications.map { application -> String in
            switch application.fate {
            case .approved: "approved"
            case .awaitingOffice: "awaitingOffice"
            case .awaitingCommittee: "awaitingCommittee"
            case .rejectedByCommittee: "rejectedByCommittee"
            case .rejectedByOffice: "rejectedByOffice"
            case .ineligible: "ineligible"
            }
        })
        #expect(fates == ["approved", "awaitingOffice", "awaitingCommittee", "rejectedByCommittee", "rejectedByOffice", "ineligible"])
        #expect(Set(applications.map(\.unit)).count == 51)
    }
}

import Registry
import Testing

@Suite("The town plan's recruitment quotas")
struct RecruitmentPlanTests {
    @Test("nine categories adding up to the town's 6,249 volunteers")
    func totals() {
        let plan = RecruitmentPlan.townPlan2010
        #expect(plan.categories.map(\.number) == Array(1...9))
        #expect(plan.totalQuota == 6249)
        #expect(plan.inconsistencies().isEmpty)
    }

    @Test("category 3 has 12 sub-categories; only category 9 is public, 20 per residential committee")
    func structure() {
        let plan = RecruitmentPlan.townPlan2010
        #expect(plan.categories[2].subcategories.count == 12)
        #expect(plan.categories.filter { $0.mode == .public }.map(\.number) == [9])
        #expect(plan.categories[8].quotaPerResidentialCommittee == 20)
    }

    @Test("a plan whose sub-quotas do not add up is reported")
    func inconsistentPlan() {
        var plan = RecruitmentPlan.townPlan2010
        plan.categories[1].subcategories[0].quota = 280
        #expect(plan.inconsistencies() == ["category 2 (居委会、村委会工作人员): sub-category quotas add up to 344, not 349"])
    }
}

import Foundation
import PinganCampaign
@testable import Registry
import Testing

@Suite("The campaign as data")
struct CampaignTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("deploy/campaigns/expo-2010.json is the embedded default, phase for phase and quota for quota")
    func shippedFile() throws {
        let campaign = try Campaign.load(from: Self.repository.appendingPathComponent("deploy/campaigns/expo-2010.json").path)
        #expect(campaign == .expo2010)
        #expect(campaign.plan.totalQuota == 6249)
        #expect(campaign.calendar.phase("pre_job_training")?.ends == CalendarDay(iso: "2010-02-13"), "the day before Spring Festival 2010")
        #expect(campaign.calendar.phase(on: CalendarDay(iso: "2010-05-01")!)?.minimumMonthlyActivities == 2)
    }

    @Test("a wrong campaign file is refused naming the file and every problem")
    func badFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaign-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var campaign = Campaign.expo2010
        campaign.calendar.phases[1].starts = CalendarDay(iso: "2009-10-15")!
        campaign.calendar.phases[2].ends = CalendarDay(iso: "2010-01-01")!
        campaign.plan.categories[2].quota = 1200
        campaign.eligibility.minimumAge = 70
        let file = directory.appendingPathComponent("bad.json")
        try CampaignFile.encoder().encode(campaign).write(to: file)
        #expect {
            _ = try Campaign.load(from: file.path)
        } throws: { error in
            let message = (error as? CampaignFileError)?.description ?? ""
            return message.hasPrefix("campaign file \(file.path): ")
                && message.contains("phases[1].starts: 2009-10-15 is not after the previous phase's end 2009-10-31")
                && message.contains("phases[2].ends: 2010-01-01 is before its start 2010-02-14")
                && message.contains("sub-category quotas add up to 1205, not 1200")
                && message.contains("eligibility.minimum_age: 70 is above maximum_age 65")
        }

        try Data(#"{"name": "x", "phases": [{"key": "a", "name": "A", "starts": "2010-13-01", "ends": "2010-12-31"}]}"#.utf8).write(to: file)
        #expect {
            _ = try Campaign.load(from: file.path)
        } throws: { ($0 as? CampaignFileError)?.message.contains("'2010-13-01' is not a date") == true }
        #expect {
            _ = try Campaign.load(from: directory.appendingPathComponent("missing.json").path)
        } throws: { ($0 as? CampaignFileError)?.message.hasPrefix("cannot be read") == true }
    }

    @Test("a unit's own quota: 20 building guards per residential committee, none elsewhere")
    func unitQuotas() {
        let plan = RecruitmentPlan.townPlan2010
        #expect(plan.unitQuotas(for: .residentialCommittee) == [9: 20])
        #expect(plan.unitQuotas(for: .department).isEmpty)
        let units = [
            OrgUnit(code: "JC-002", name: "第2居委会", kind: .residentialCommittee, parentCode: "TOWN"),
            OrgUnit(code: "JC-001", name: "第1居委会", kind: .residentialCommittee, parentCode: "TOWN"),
            OrgUnit(code: "DEPT-ZZB", name: "综治办", kind: .department, parentCode: "TOWN"),
            OrgUnit(code: "VC-01", name: "第1村委会", kind: .villageCommittee, parentCode: "TOWN"),
        ]
        let lines = UnitProgress.lines(plan: plan, units: units, counts: ["JC-001": [9: 12, 2: 5], "DEPT-ZZB": [1: 30]])
        #expect(lines.map(\.unit.code) == ["DEPT-ZZB", "JC-001", "JC-002"], "code order; a unit with no quota and no one is left out")
        #expect(lines.map(\.quota) == [0, 20, 20])
        #expect(lines.map(\.quotaEnrolled) == [0, 12, 0], "committee staff (category 2) do not count toward the building-guard quota")
        #expect(lines.map(\.enrolled) == [30, 17, 0])

        let progress = RecruitmentProgress(plan: plan, counts: EnrolmentCounts(byCategory: [9: 12, 2: 5]), unitKind: .residentialCommittee)
        #expect(progress.totalQuota == 20)
        #expect(progress.lines.first { $0.number == 9 }?.enrolled == 12)
    }

    @Test("calendar days step over month and year ends and leap days")
    func nextDay() {
        #expect(CalendarDay(iso: "2010-02-13")!.next == CalendarDay(iso: "2010-02-14"))
        #expect(CalendarDay(iso: "2008-02-28")!.next == CalendarDay(iso: "2008-02-29"))
        #expect(CalendarDay(iso: "2010-02-28")!.next == CalendarDay(iso: "2010-03-01"))
        #expect(CalendarDay(iso: "2009-12-31")!.next == CalendarDay(iso: "2010-01-01"))
        for text in ["2010-02-14", "2008-02-29", "2010-03-01", "2010-01-01", "2010-05-01"] {
            let day = CalendarDay(iso: text)!
            #expect(day.previous.next == day)
        }
        #expect(CalendarDay(iso: "2008-03-01")!.previous == CalendarDay(iso: "2008-02-29"))
        // The Expo opened on a Saturday; 2010-05-03 was a Monday, 2000-02-29 a Tuesday.
        #expect(["2010-05-01", "2010-05-02", "2010-05-03", "2000-02-29", "2010-01-01"].map { CalendarDay(iso: $0)!.weekday } == [6, 7, 1, 2, 5])
    }
}

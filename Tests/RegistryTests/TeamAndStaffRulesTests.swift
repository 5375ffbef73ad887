import PinganRegistryContracts
import PinganRPC
import PinganRules
@testable import Registry
import Testing

@Suite("Teams, transfers and staff roles: the rules")
struct TeamAndStaffRulesTests {
    static func member(_ id: Int64 = 7, unit: String = "JC-001", status: VolunteerStatus = .active, team: Int64? = nil, leads: Int64? = nil) -> TeamMember {
        TeamMember(id: id, unitCode: unit, status: status, teamID: team, leads: leads)
    }

    @Test("a leader is an active volunteer of the team's unit who is in no other team")
    func leaders() {
        #expect(TeamRules.check(name: "第一巡逻队", unitCode: "JC-001", teamID: nil, leader: Self.member()).isEmpty)
        #expect(TeamRules.check(name: "第一巡逻队", unitCode: "JC-001", teamID: 3, leader: Self.member(team: 3)).isEmpty)
        #expect(TeamRules.check(name: "第一巡逻队", unitCode: "JC-001", teamID: nil, leader: Self.member(unit: "JC-002")).map(\.rule)
            == ["LEADER_OUTSIDE_UNIT"])
        #expect(TeamRules.check(name: "第一巡逻队", unitCode: "JC-001", teamID: nil, leader: Self.member(status: .suspended)).map(\.rule)
            == ["LEADER_NOT_ACTIVE"])
        #expect(TeamRules.check(name: "第一巡逻队", unitCode: "JC-001", teamID: 3, leader: Self.member(team: 4)).map(\.rule)
            == ["LEADER_IN_OTHER_TEAM"])
        #expect(TeamRules.check(name: "  ", unitCode: "JC-001", teamID: nil, leader: nil).map(\.rule) == ["TEAM_NAME"])
        #expect(TeamRules.check(name: String(repeating: "队", count: 41), unitCode: "JC-001", teamID: nil, leader: nil).map(\.rule) == ["TEAM_NAME"])
    }

    @Test("a transfer needs a reason and a volunteer in the corps, not already there, not leading their team")
    func transfers() {
        let team = Team(id: 5, unitCode: "JC-001", name: "第二巡逻队")
        #expect(TeamRules.checkTransfer(Self.member(team: 4), to: team, reason: "换班").isEmpty)
        #expect(TeamRules.checkTransfer(Self.member(status: .suspended), to: team, reason: "换班").isEmpty, "suspended volunteers keep a team")
        #expect(TeamRules.checkTransfer(Self.member(), to: team, reason: " ").map(\.rule) == ["REASON_REQUIRED"])
        for status in [VolunteerStatus.applied, .committeeAccepted, .withdrawn, .rejected] {
            #expect(TeamRules.checkTransfer(Self.member(status: status), to: team, reason: "r").map(\.rule) == ["NOT_IN_CORPS"])
        }
        #expect(TeamRules.checkTransfer(Self.member(team: 5), to: team, reason: "r").map(\.rule) == ["ALREADY_IN_TEAM"])
        #expect(TeamRules.checkTransfer(Self.member(team: 4, leads: 4), to: team, reason: "r").map(\.rule) == ["LEADS_TEAM"])
    }

    static func assignment(_ role: StaffRole, _ name: String, id: Int64 = 1) -> StaffAssignment {
        StaffAssignment(id: id, unitCode: "TOWN", personName: name, role: role, assignedAt: "2009-09-01T00:00:00Z")
    }

    @Test("office roles sit at the town; one director, one in charge, one team manager per unit")
    func staff() {
        #expect(StaffRules.check(personName: "王建国", role: .director, unitKind: .town, current: []).isEmpty)
        #expect(StaffRules.check(personName: "王建国", role: .director, unitKind: .department, current: []).map(\.rule) == ["OFFICE_ROLE_AT_TOWN"])
        #expect(StaffRules.check(personName: "李明", role: .director, unitKind: .town, current: [Self.assignment(.director, "王建国")]).map(\.rule)
            == ["ROLE_TAKEN"])
        #expect(StaffRules.check(personName: "李明", role: .officeInCharge, unitKind: .town, current: [Self.assignment(.officeInCharge, "周")]).map(\.rule)
            == ["ROLE_TAKEN"])
        let deputies = [Self.assignment(.deputyDirector, "张"), Self.assignment(.deputyDirector, "陈", id: 2)]
        #expect(StaffRules.check(personName: "刘", role: .deputyDirector, unitKind: .town, current: deputies).isEmpty, "several deputies")
        #expect(StaffRules.check(personName: "张", role: .deputyDirector, unitKind: .town, current: deputies).map(\.rule) == ["ALREADY_ASSIGNED"])
        #expect(StaffRules.check(personName: "赵", role: .teamManager, unitKind: .residentialCommittee, current: []).isEmpty)
        #expect(StaffRules.check(personName: "赵", role: .teamManager, unitKind: .residentialCommittee, current: [Self.assignment(.teamManager, "钱")])
            .map(\.rule) == ["ROLE_TAKEN"])
        #expect(StaffRules.check(personName: "", role: .officeStaff, unitKind: .town, current: []).map(\.rule) == ["PERSON_NAME"])
    }

    @Test("a page token resumes the search it came from, and no other")
    func pageTokens() throws {
        let search = VolunteerSearch(unitCode: "JC-001", status: .active, pageSize: 10)
        let token = search.pageToken(after: 120, name: "ignored without a name prefix")
        var resumed = search
        try resumed.resume(from: token)
        #expect(resumed.after == 120)

        var other = VolunteerSearch(unitCode: "JC-002", status: .active, pageSize: 10)
        #expect(throws: BrokenRule.self) { try other.resume(from: token) }
        var same = search
        #expect(throws: BrokenRule.self) { try same.resume(from: "not a token") }
        #expect(throws: BrokenRule.self) { try same.resume(from: "djE6LTU6YWJj") }  // "v1:-5:abc"

        let byName = VolunteerSearch(namePrefix: "王", pageSize: 10)
        var resumedByName = byName
        try resumedByName.resume(from: byName.pageToken(after: 7, name: "王:小明"))
        #expect(resumedByName.after == 7 && resumedByName.afterName == "王:小明", "the name travels whole, colons and all")
        var nameSearch = byName
        #expect(throws: BrokenRule.self) { try nameSearch.resume(from: VolunteerSearch(pageSize: 10).pageToken(after: 7, name: "王")) }
        #expect(VolunteerSearch.checkPageSize(500) == nil)
        #expect(VolunteerSearch.checkPageSize(501)?.rule == "PAGE_SIZE")
        #expect(VolunteerSearch.checkPageSize(-1)?.rule == "PAGE_SIZE")
    }
}

@Suite("Registry method access")
struct RegistryAccessTests {
    @Test("auditors only read: no method that changes the registry admits them, and only admins set up units and staff")
    func auditorsRead() {
        typealias M = RegistryMethods
        let mutations = [M.saveUnits, M.registerBatch, M.submitApplication, M.decideApplication, M.saveTeam, M.transferVolunteer,
                         M.assignStaffRole, M.endStaffRole]
        for method in mutations {
            guard case .roles(let roles) = method.access else {
                Issue.record("\(method.fullName) admits any role")
                continue
            }
            #expect(!roles.contains(.auditor), "\(method.fullName)")
        }
        for method in [M.saveUnits, M.assignStaffRole, M.endStaffRole] {
            #expect(method.access == .only(.admin), "\(method.fullName)")
        }
    }
}

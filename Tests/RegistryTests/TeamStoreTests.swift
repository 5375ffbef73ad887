import PinganCampaign
import PinganPersonalData
import PinganRules
@testable import Registry
import Testing

@Suite("Teams, transfers, staff and search in the store")
struct TeamStoreTests {
    /// A store with 30 active volunteers in JC-017 (ids 1-30) and 10 in DEPT-ZZB (ids 31-40).
    static func store() async throws -> RegistryStore {
        let store = try await RegistryStoreTests.store()
        let plan = RecruitmentPlan.townPlan2010
        _ = try await store.registerBatch(DirectedBatch(batchID: "jc", unitCode: "JC-017", category: 5, rows: RegistryStoreTests.rows(30)),
                                          plan: plan, actor: "office", requestID: "r")
        _ = try await store.registerBatch(DirectedBatch(batchID: "zzb", unitCode: "DEPT-ZZB", category: 1, rows: RegistryStoreTests.rows(10, from: 31)),
                                          plan: plan, actor: "office", requestID: "r")
        return store
    }

    @Test("a team gets a leader who joins it; transfers move members and keep every move with its reason")
    func teamsAndTransfers() async throws {
        let store = try await Self.store()
        let first = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "第一巡逻队", leaderID: 1, scope: "JC-017", actor: "clerk", requestID: "t1")
        #expect(first.leaderID == 1 && first.leaderName == "职工1" && first.members == 1)
        let second = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "第二巡逻队", leaderID: nil, scope: nil, actor: "office", requestID: "t2")

        let moved = try #require(try await store.transfer(volunteerID: 2, toTeam: first.id, reason: "编入", scope: "JC-017", actor: "clerk", requestID: "m1"))
        #expect(moved.teamID == first.id && moved.teamName == "第一巡逻队")
        _ = try await store.transfer(volunteerID: 2, toTeam: second.id, reason: "夜班缺人", scope: nil, actor: "office", requestID: "m2")
        let history = try await store.teamHistory(volunteerID: 2)
        #expect(history.map(\.from) == [nil, first.id])
        #expect(history.map(\.to) == [first.id, second.id])
        #expect(history.map(\.reason) == ["编入", "夜班缺人"])
        #expect(try await store.teams(unitCode: "JC-017").map(\.members) == [1, 1])

        // The leader cannot leave while leading; a new leader must be in no other team.
        await #expect {
            _ = try await store.transfer(volunteerID: 1, toTeam: second.id, reason: "r", scope: nil, actor: "office", requestID: "m3")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["LEADS_TEAM"] }
        await #expect {
            _ = try await store.saveTeam(id: second.id, unitCode: "JC-017", name: "第二巡逻队", leaderID: 1, scope: nil, actor: "o", requestID: "t3")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["LEADER_IN_OTHER_TEAM", "LEADS_TEAM"] }
        await #expect {
            _ = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "第一巡逻队", leaderID: nil, scope: nil, actor: "o", requestID: "t4")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["TEAM_NAME_TAKEN"] }
        let renamed = try await store.saveTeam(id: second.id, unitCode: "JC-017", name: "夜间巡逻队", leaderID: 2, scope: nil, actor: "o", requestID: "t5")
        #expect(renamed.name == "夜间巡逻队" && renamed.leaderID == 2)

        let actions = try await store.auditLog().map(\.action).suffix(5)
        #expect(Array(actions) == ["registry.createTeam", "registry.createTeam", "registry.transfer", "registry.transfer", "registry.updateTeam"])
    }

    @Test("a clerk manages teams of their own unit only; an admin may move someone to another unit's team")
    func scope() async throws {
        let store = try await Self.store()
        await #expect {
            _ = try await store.saveTeam(id: nil, unitCode: "DEPT-ZZB", name: "队", leaderID: nil, scope: "JC-017", actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["OUTSIDE_SCOPE"] }
        let zzb = try await store.saveTeam(id: nil, unitCode: "DEPT-ZZB", name: "机关队", leaderID: 31, scope: nil, actor: "office", requestID: "r")
        await #expect {
            _ = try await store.transfer(volunteerID: 3, toTeam: zzb.id, reason: "r", scope: "JC-017", actor: "clerk", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["UNKNOWN_TEAM"] }
        #expect(try await store.transfer(volunteerID: 32, toTeam: zzb.id, reason: "r", scope: "JC-017", actor: "clerk", requestID: "r") == nil,
                "a volunteer outside the clerk's unit is not found")
        let moved = try #require(try await store.transfer(volunteerID: 3, toTeam: zzb.id, reason: "调往机关", scope: nil, actor: "office", requestID: "r"))
        #expect(moved.unitCode == "DEPT-ZZB", "the volunteer's unit follows the team")
        await #expect {
            _ = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "队", leaderID: 35, scope: nil, actor: "office", requestID: "r")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["LEADER_OUTSIDE_UNIT"] }
    }

    @Test("search filters by name prefix, unit, category, status and team, and pages through in id order (name order by name)")
    func search() async throws {
        let store = try await Self.store()
        let team = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "队", leaderID: 5, scope: nil, actor: "o", requestID: "r")
        _ = try await store.decide(.suspend(reason: "长期外出"), volunteerID: 6, by: .office, scope: nil, actor: "o", requestID: "r")

        var all: [Int64] = []
        var search = VolunteerSearch(unitCode: "JC-017", pageSize: 7)
        while true {
            let page = try await store.searchVolunteers(search)
            all += page.volunteers.map(\.id)
            guard page.more, let last = page.volunteers.last else { break }
            try search.resume(from: search.pageToken(after: last.id, name: last.name))
        }
        #expect(all == Array(1...30))

        #expect(try await store.searchVolunteers(VolunteerSearch(namePrefix: "职工3")).volunteers.map(\.id) == [3] + Array(30...39))
        #expect(try await store.searchVolunteers(VolunteerSearch(namePrefix: "职工3", unitCode: "DEPT-ZZB")).volunteers.map(\.id) == Array(31...39))
        #expect(try await store.searchVolunteers(VolunteerSearch(category: 1)).volunteers.count == 10)
        #expect(try await store.searchVolunteers(VolunteerSearch(status: .suspended)).volunteers.map(\.id) == [6])
        #expect(try await store.searchVolunteers(VolunteerSearch(teamID: team.id)).volunteers.map(\.id) == [5])
        let page = try await store.searchVolunteers(VolunteerSearch(namePrefix: "职工1", pageSize: 3))
        #expect(page.volunteers.map(\.id) == [1, 10, 11] && page.more)
        #expect(page.volunteers[0].idNumber.contains("**********"), "search answers are masked")

        // By name, pages follow the name index: (name, id) order, each page a range of it.
        var byName = VolunteerSearch(namePrefix: "职工1", pageSize: 4)
        var names: [String] = []
        while true {
            let page = try await store.searchVolunteers(byName)
            names += page.volunteers.map(\.name)
            guard page.more, let last = page.volunteers.last else { break }
            try byName.resume(from: byName.pageToken(after: last.id, name: last.name))
        }
        #expect(names == ["职工1"] + (10...19).map { "职工\($0)" })
    }

    @Test("staff roles: assigned, refused when taken, ended with a reason and kept on record")
    func staff() async throws {
        let store = try await Self.store()
        let director = try await store.assignStaffRole(unitCode: "TOWN", personName: "王建国", role: .director, actor: "office", requestID: "s1")
        _ = try await store.assignStaffRole(unitCode: "JC-017", personName: "赵敏", role: .teamManager, actor: "office", requestID: "s2")
        await #expect {
            _ = try await store.assignStaffRole(unitCode: "TOWN", personName: "李明", role: .director, actor: "office", requestID: "s3")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["ROLE_TAKEN"] }
        await #expect {
            _ = try await store.assignStaffRole(unitCode: "NOPE", personName: "李明", role: .teamManager, actor: "office", requestID: "s3")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["UNKNOWN_UNIT"] }
        let ended = try #require(try await store.endStaffRole(id: director.id, reason: "调任", actor: "office", requestID: "s4"))
        #expect(ended.endedAt != nil && ended.endReason == "调任")
        await #expect {
            _ = try await store.endStaffRole(id: director.id, reason: "again", actor: "office", requestID: "s5")
        } throws: { ($0 as? Refusal)?.rules.map(\.rule) == ["ALREADY_ENDED"] }
        _ = try await store.assignStaffRole(unitCode: "TOWN", personName: "李明", role: .director, actor: "office", requestID: "s6")
        #expect(try await store.staff(unitCode: nil).map(\.personName) == ["赵敏", "李明"])
        #expect(try await store.staff(unitCode: "JC-017").map(\.role) == [.teamManager])
    }

    @Test("the schema refuses rewriting team history")
    func appendOnly() async throws {
        let store = try await Self.store()
        let team = try await store.saveTeam(id: nil, unitCode: "JC-017", name: "队", leaderID: 1, scope: nil, actor: "o", requestID: "r")
        #expect(team.members == 1)
        await #expect(throws: (any Error).self) { try await store.execute(sql: "UPDATE team_history SET reason = 'x'") }
        await #expect(throws: (any Error).self) { try await store.execute(sql: "DELETE FROM team_history") }
    }
}

import PinganCampaign
import PinganDutyContracts
import PinganRPC
import PinganServiceKit

extension DutyService {
    /// The longest coverage period, in days.
    static let maximumCoverageDays = 31

    /// Activities per active volunteer in a month against the campaign phase's minimum.
    func compliance(_ request: Pingan_Duty_V1_GetComplianceRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_ComplianceReport {
        guard let first = MonthlyCompliance.firstDay(of: request.month) else {
            throw RPCError(.invalidArgument, "month: '\(request.month.prefix(16))' is not a month (YYYY-MM)")
        }
        let page = try VolunteerListPage(pageSize: request.pageSize, afterVolunteerID: request.afterVolunteerID)
        let unit = try context.unitScope(asked: request.unitCode)
        let month = MonthlyCompliance(month: first, calendar: calendar)
        try await catchUp(context, "active volunteers cannot be counted")
        var report = Pingan_Duty_V1_ComplianceReport()
        report.month = request.month
        report.phase = month.phase?.key ?? ""
        report.minimum = Int32(month.minimum)
        if !request.countsOnly {
            let (behind, next) = page.split(try await store.behind(from: month.month, to: month.lastDay, minimum: month.minimum, unitCode: unit,
                                                                   after: page.after, limit: page.limit)) { $0.volunteerID }
            report.nextAfterVolunteerID = next
            report.behind = behind.map { volunteer in
                var line = Pingan_Duty_V1_VolunteerCompliance()
                line.volunteerID = volunteer.volunteerID
                line.name = volunteer.name
                line.unitCode = volunteer.unitCode
                line.activities = Int32(volunteer.activities)
                line.hours = volunteer.hours
                return line
            }
        }
        // The counts come with the first page only: a later one continues its list.
        guard page.after == 0 else { return report }
        let counts = try await store.compliance(from: month.month, to: month.lastDay, minimum: month.minimum, unitCode: unit)
        report.units = counts.units.sorted { $0.key < $1.key }.map { code, counts in
            var line = Pingan_Duty_V1_UnitCompliance()
            line.unitCode = code
            line.volunteers = Int32(counts.volunteers)
            line.compliant = Int32(counts.compliant)
            return line
        }
        report.volunteers = report.units.reduce(0) { $0 + $1.volunteers }
        report.compliant = report.units.reduce(0) { $0 + $1.compliant }
        report.teams = counts.teams.sorted { $0.teamID < $1.teamID }.map { team in
            var line = Pingan_Duty_V1_TeamCompliance()
            line.teamID = team.teamID
            line.teamName = team.teamName
            line.unitCode = team.unitCode
            line.volunteers = Int32(team.volunteers)
            line.compliant = Int32(team.compliant)
            return line
        }
        return report
    }

    /// Waits until duty's copy of the registry's volunteers reflects what the registry had
    /// committed when the call came: a report is never older than its request.
    func catchUp(_ context: ServerContext, _ consequence: String) async throws {
        do {
            try await directory.catchUp(deadline: context.deadline, requestID: context.requestID)
        } catch let error as RPCError {
            throw error.fromDownstream("registry", consequence)
        }
    }

    /// Which committees had a staffed patrol post on each day of the period.
    func coverage(_ request: Pingan_Duty_V1_GetCoverageRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_CoverageReport {
        guard let from = try Self.day(request.from, field: "from"), let to = try Self.day(request.to, field: "to") else {
            throw RPCError(.invalidArgument, "from, to: required")
        }
        let days = Array(sequence(first: from) { $0.next }.prefix { $0 <= to }.prefix(Self.maximumCoverageDays + 1))
        guard !days.isEmpty, days.count <= Self.maximumCoverageDays else {
            throw RPCError(.invalidArgument, "to: the period runs from \(from) to \(to); it must be 1-\(Self.maximumCoverageDays) days")
        }
        let committees: [Coverage.Committee]
        do {
            committees = try await directory.committees(deadline: context.deadline, requestID: context.requestID)
                .filter { context.caller?.unitScope == nil || $0.code == context.caller?.unitScope }
        } catch let error as RPCError {
            throw error.fromDownstream("registry", "the committees cannot be listed")
        }
        let lines = Coverage.lines(committees: committees, days: days, staffed: try await store.staffedPatrolDays(from: from, to: to))
        var report = Pingan_Duty_V1_CoverageReport()
        report.from = from.description
        report.to = to.description
        report.days = Int32(days.count)
        report.committees = Int32(lines.count)
        report.fullyCovered = Int32(lines.filter(\.uncoveredDays.isEmpty).count)
        report.committeesDetail = lines.map { line in
            var message = Pingan_Duty_V1_CommitteeCoverage()
            message.unitCode = line.committee.code
            message.name = line.committee.name
            message.kind = line.committee.kind
            message.daysCovered = Int32(days.count - line.uncoveredDays.count)
            message.uncoveredDays = line.uncoveredDays.map(\.description)
            return message
        }
        report.weeks = Coverage.weeks(days).map { week in
            var message = Pingan_Duty_V1_WeekCoverage()
            message.from = week[0].description
            message.to = week[week.count - 1].description
            message.fullyCovered = Int32(Coverage.fullyCovered(lines, in: week))
            return message
        }
        return report
    }
}

extension DutyService {
    /// Volunteers read from the store per page of the month's stream.
    static let monthServicePage = 500

    /// A month's activities and served shifts per volunteer, a page of volunteers at a time.
    func streamMonthService(_ request: Pingan_Duty_V1_StreamMonthServiceRequest, _ writer: ServerStreamWriter<Pingan_Duty_V1_VolunteerMonth>,
                            _ context: ServerContext) async throws {
        guard let first = MonthlyCompliance.firstDay(of: request.month) else {
            throw RPCError(.invalidArgument, "month: '\(request.month.prefix(16))' is not a month (YYYY-MM)")
        }
        let month = MonthlyCompliance(month: first, calendar: calendar)
        let now = clock.now()
        var after = request.afterVolunteerID
        while true {
            let page = try await store.monthService(from: first, to: month.lastDay, endedBy: now, afterVolunteerID: after, limit: Self.monthServicePage)
            for record in page {
                var message = Pingan_Duty_V1_VolunteerMonth()
                message.volunteerID = record.volunteerID
                message.name = record.name
                message.unitCode = record.unitCode
                message.activities = Int32(record.activities)
                message.activityHours = record.activityHours
                message.shifts = Int32(record.shifts)
                message.shiftHours = record.shiftHours
                message.days = record.days.map { day in
                    var entry = Pingan_Duty_V1_ServiceDay()
                    entry.day = day.day.description
                    entry.activities = Int32(day.activities)
                    entry.activityHours = day.activityHours
                    entry.shifts = Int32(day.shifts)
                    entry.shiftHours = day.shiftHours
                    return entry
                }
                try await writer.write(message)
            }
            guard page.count == Self.monthServicePage, let last = page.last else { return }
            after = last.volunteerID
        }
    }
}

extension DutyService {
    /// The year-end commendation: the registry's active volunteers (with their teams) ranked by
    /// the activities recorded in the campaign's commendation period.
    func commendation(_ context: ServerContext) async throws -> Pingan_Duty_V1_CommendationList {
        guard let rules = calendar.commendation else {
            throw RPCError(.failedPrecondition, "commendation: the campaign \(calendar.name) sets no commendation (campaign file: commendation)")
        }
        try await catchUp(context, "the active volunteers cannot be listed")
        let totals = try await store.activityTotals(from: rules.from, to: rules.to)
            .mapValues { Commendation.Totals(activities: $0.activities, hours: $0.hours) }
        // Without recorded service no one reaches a threshold above zero: only those with some
        // are read (at a million volunteers, reading all of them took a second).
        let volunteers = Commendation.needsActivity(rules)
            ? try await store.activeVolunteers(among: Array(totals.keys)) : try await store.activeVolunteers()
        let result = Commendation.rank(volunteers, teams: try await store.activeTeams(), totals: totals, rules: rules)
        var list = Pingan_Duty_V1_CommendationList()
        list.from = rules.from.description
        list.to = rules.to.description
        list.rule = Commendation.rule
        list.volunteerMinimumHours = rules.volunteerMinimumHours
        list.volunteerMinimumActivities = Int32(rules.volunteerMinimumActivities)
        list.teamMinimumHoursPerMember = rules.teamMinimumHoursPerMember
        list.eligibleVolunteers = Int32(result.eligibleVolunteers)
        list.eligibleTeams = Int32(result.eligibleTeams)
        list.volunteers = result.volunteers.map { entry in
            var message = Pingan_Duty_V1_CommendedVolunteer()
            message.rank = Int32(entry.rank)
            message.volunteerID = entry.volunteer.id
            message.name = entry.volunteer.name
            message.unitCode = entry.volunteer.unitCode
            message.teamName = entry.volunteer.teamName ?? ""
            message.hours = entry.totals.hours
            message.activities = Int32(entry.totals.activities)
            return message
        }
        list.teams = result.teams.map { team in
            var message = Pingan_Duty_V1_CommendedTeam()
            message.rank = Int32(team.rank)
            message.teamID = team.id
            message.name = team.name
            message.unitCode = team.unitCode
            message.members = Int32(team.members)
            message.hours = team.totals.hours
            message.hoursPerMember = (team.hoursPerMember * 100).rounded() / 100
            message.activities = Int32(team.totals.activities)
            return message
        }
        return list
    }
}

extension DutyService {
    /// One volunteer's month and their standing for the commendation.
    func volunteerDuty(_ request: Pingan_Duty_V1_GetVolunteerDutyRequest, _ context: ServerContext) async throws -> Pingan_Duty_V1_VolunteerDuty {
        guard let first = MonthlyCompliance.firstDay(of: request.month) else {
            throw RPCError(.invalidArgument, "month: '\(request.month.prefix(16))' is not a month (YYYY-MM)")
        }
        let volunteer = try await registryVolunteer(request.volunteerID, context)
        let month = MonthlyCompliance(month: first, calendar: calendar)
        let activities = try await store.activities(volunteerID: volunteer.id, from: first, to: month.lastDay)
        var answer = Pingan_Duty_V1_VolunteerDuty()
        answer.volunteerID = volunteer.id
        answer.month = request.month
        let shifts = try await store.shifts(volunteerID: volunteer.id, postCode: nil, from: first, to: month.lastDay).filter { $0.starts.day >= first }
        answer.shifts = shifts.map(Self.message)
        let codes = Set(shifts.map(\.postCode))
        answer.posts = try await store.posts(unitCode: nil, project: nil, includeRetired: true).filter { codes.contains($0.code) }.map(Self.message)
        answer.activities = activities.map(Self.message)
        answer.minimum = Int32(month.minimum)
        answer.compliant = month.isCompliant(activities: activities.count)
        answer.monthHours = activities.reduce(0) { $0 + $1.hours }
        if let rules = calendar.commendation {
            let totals = try await store.activityTotals(from: rules.from, to: rules.to)
                .mapValues { Commendation.Totals(activities: $0.activities, hours: $0.hours) }
            let own = totals[volunteer.id]
            answer.commendationHours = own?.hours ?? 0
            answer.commendationActivities = Int32(own?.activities ?? 0)
            if let rank = try await commendationRank(of: volunteer, totals: totals, rules: rules, context) {
                answer.commendationRank = Int32(rank)
                answer.commended = rank <= rules.volunteers
            }
        }
        return answer
    }

    /// One volunteer's place in the commendation ranking, nil if not ranked. Only the volunteers
    /// ahead of it matter (a few, at most the ones with more recorded service): their status
    /// comes from duty's copy of the registry, caught up first.
    private func commendationRank(
        of volunteer: DutyVolunteer, totals: [Int64: Commendation.Totals], rules: CommendationRules, _ context: ServerContext
    ) async throws -> Int? {
        guard volunteer.status == "active" else { return nil }
        try await catchUp(context, "the commendation rank cannot be worked out")
        guard Commendation.needsActivity(rules) else {
            // Anyone may be eligible without activity: the ranking needs every active volunteer.
            let everyone = try await store.activeVolunteers()
            var unlimited = rules
            unlimited.volunteers = Int.max
            return Commendation.rank(everyone, teams: [], totals: totals, rules: unlimited).volunteers.first { $0.volunteer.id == volunteer.id }?.rank
        }
        guard let contenders = Commendation.contenders(for: volunteer.id, totals: totals, rules: rules) else { return nil }
        return try await store.activeAmong(contenders).count + 1
    }
}

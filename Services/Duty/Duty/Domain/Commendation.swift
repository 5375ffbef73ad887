import PinganCampaign

/// The year-end commendation (表彰): the volunteers and teams with the most recorded service,
/// over the campaign's thresholds, in an order that never depends on how the data was read.
public enum Commendation {
    /// A volunteer's recorded activities in the period.
    public struct Totals: Sendable, Hashable {
        public var activities: Int
        public var hours: Double

        public init(activities: Int, hours: Double) {
            self.activities = activities
            self.hours = hours
        }

        public static let zero = Totals(activities: 0, hours: 0)
    }

    public struct Volunteer: Sendable, Hashable {
        public var rank: Int
        public var volunteer: DutyVolunteer
        public var totals: Totals
    }

    public struct Team: Sendable, Hashable {
        public var rank: Int
        public var id: Int64
        public var name: String
        public var unitCode: String
        public var members: Int
        public var totals: Totals
        public var hoursPerMember: Double
    }

    /// A team as the ranking counts it: all its active members, with recorded service or not.
    public struct TeamMembers: Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var unitCode: String
        public var members: Int

        public init(id: Int64, name: String, unitCode: String, members: Int) {
            self.id = id
            self.name = name
            self.unitCode = unitCode
            self.members = members
        }
    }

    public struct Result: Sendable, Hashable {
        public var volunteers: [Volunteer]
        public var teams: [Team]
        public var eligibleVolunteers: Int
        public var eligibleTeams: Int
    }

    /// The rule as the answer states it.
    public static let rule = "volunteers: at least the minimum hours and activities, ranked by hours, then activities, then the lower volunteer id; "
        + "teams: at least the minimum hours per active member, ranked by hours per member, then activities, then the lower team id; "
        + "the first N of each are commended"

    /// The volunteers who could rank ahead of `id`: eligible and before it in the ranking order,
    /// whether active or not (the caller asks the registry about these few only); nil when `id`
    /// itself is not eligible. Only meaningful when a volunteer with no recorded activity cannot be
    /// eligible (`needsActivity`): otherwise every active volunteer might be ahead.
    public static func contenders(for id: Int64, totals: [Int64: Totals], rules: CommendationRules) -> [Int64]? {
        let own = totals[id] ?? .zero
        guard isEligible(own, rules) else { return nil }
        return totals.compactMap { other, theirs in
            isEligible(theirs, rules) && ranksBefore((other, theirs), (id, own)) ? other : nil
        }
    }

    /// Over both thresholds.
    static func isEligible(_ totals: Totals, _ rules: CommendationRules) -> Bool {
        totals.hours >= rules.volunteerMinimumHours && totals.activities >= rules.volunteerMinimumActivities
    }

    /// The ranking order: more hours, then more activities, then the lower id.
    static func ranksBefore(_ a: (id: Int64, totals: Totals), _ b: (id: Int64, totals: Totals)) -> Bool {
        (-a.totals.hours, -a.totals.activities, a.id) < (-b.totals.hours, -b.totals.activities, b.id)
    }

    /// True when only volunteers with recorded activity can be eligible, so that `contenders`
    /// decides a rank.
    public static func needsActivity(_ rules: CommendationRules) -> Bool {
        rules.volunteerMinimumHours > 0 || rules.volunteerMinimumActivities > 0
    }

    /// Ranks active volunteers and teams by their totals under `rules`. `volunteers` holds
    /// every active volunteer who may be eligible: when `needsActivity`, those with totals are
    /// enough (a million active volunteers need not be read for the few thousand with recorded
    /// service); `teams` every team with its active members. A team's totals are its members'
    /// among `volunteers` (the others have none).
    public static func rank(_ volunteers: [DutyVolunteer], teams: [TeamMembers], totals: [Int64: Totals], rules: CommendationRules) -> Result {
        let zero = Totals.zero
        let eligible = volunteers.filter { isEligible(totals[$0.id] ?? zero, rules) }
            .sorted { a, b in ranksBefore((a.id, totals[a.id] ?? zero), (b.id, totals[b.id] ?? zero)) }
        let ranked = eligible.prefix(rules.volunteers).enumerated().map { index, volunteer in
            Volunteer(rank: index + 1, volunteer: volunteer, totals: totals[volunteer.id] ?? zero)
        }

        var teamTotals: [Int64: Totals] = [:]
        for volunteer in volunteers {
            guard let id = volunteer.teamID, let own = totals[volunteer.id] else { continue }
            teamTotals[id, default: zero].activities += own.activities
            teamTotals[id, default: zero].hours += own.hours
        }
        let scored = teams.filter { $0.members > 0 }.map { members in
            let totals = teamTotals[members.id] ?? zero
            return Team(rank: 0, id: members.id, name: members.name, unitCode: members.unitCode, members: members.members, totals: totals,
                        hoursPerMember: totals.hours / Double(members.members))
        }
        let eligibleTeams = scored.filter { $0.hoursPerMember >= rules.teamMinimumHoursPerMember }
            .sorted { a, b in (-a.hoursPerMember, -a.totals.activities, a.id) < (-b.hoursPerMember, -b.totals.activities, b.id) }
        let rankedTeams = eligibleTeams.prefix(rules.teams).enumerated().map { index, team in
            var team = team
            team.rank = index + 1
            return team
        }
        return Result(volunteers: ranked, teams: rankedTeams, eligibleVolunteers: eligible.count, eligibleTeams: eligibleTeams.count)
    }
}

import Foundation

/// One phase of a campaign: recruitment, pre-job training, the event itself...
public struct CampaignPhase: Sendable, Hashable, Codable {
    /// Stable name other data refers to, e.g. "pre_job_training".
    public var key: String
    public var name: String
    public var starts: CalendarDay
    /// The last day of the phase: a deadline tied to the phase falls on it.
    public var ends: CalendarDay
    /// Activities each volunteer must log per month during the phase, if the campaign sets one.
    public var minimumMonthlyActivities: Int?

    public init(key: String, name: String, starts: CalendarDay, ends: CalendarDay, minimumMonthlyActivities: Int? = nil) {
        self.key = key
        self.name = name
        self.starts = starts
        self.ends = ends
        self.minimumMonthlyActivities = minimumMonthlyActivities
    }
}

/// The year-end commendation's thresholds: who may be commended over which period, and how many.
public struct CommendationRules: Sendable, Hashable, Codable {
    public var from: CalendarDay
    public var to: CalendarDay
    /// A volunteer needs both: hours and activities recorded in the period.
    public var volunteerMinimumHours: Double
    public var volunteerMinimumActivities: Int
    /// At most this many volunteers are commended.
    public var volunteers: Int
    /// A team needs its recorded hours, divided among its active members, to reach this.
    public var teamMinimumHoursPerMember: Double
    public var teams: Int

    public init(from: CalendarDay, to: CalendarDay, volunteerMinimumHours: Double, volunteerMinimumActivities: Int, volunteers: Int,
                teamMinimumHoursPerMember: Double, teams: Int) {
        self.from = from
        self.to = to
        self.volunteerMinimumHours = volunteerMinimumHours
        self.volunteerMinimumActivities = volunteerMinimumActivities
        self.volunteers = volunteers
        self.teamMinimumHoursPerMember = teamMinimumHoursPerMember
        self.teams = teams
    }
}

/// A campaign's name and phases: data every service reads from the same campaign file, so a
/// later campaign needs a new file, not new code.
public struct CampaignCalendar: Sendable, Hashable, Codable {
    public var name: String
    public var phases: [CampaignPhase]
    /// The year-end commendation, if the campaign has one.
    public var commendation: CommendationRules?

    public init(name: String, phases: [CampaignPhase], commendation: CommendationRules? = nil) {
        self.name = name
        self.phases = phases
        self.commendation = commendation
    }

    public func phase(_ key: String) -> CampaignPhase? {
        phases.first { $0.key == key }
    }

    /// The phase `day` falls in; phases do not overlap.
    public func phase(on day: CalendarDay) -> CampaignPhase? {
        phases.first { $0.starts <= day && day <= $0.ends }
    }

    /// Every reason the calendar cannot be used: empty names, duplicate keys, a phase that ends
    /// before it starts, phases out of order or overlapping.
    public func problems() -> [String] {
        var problems: [String] = []
        if name.allSatisfy(\.isWhitespace) { problems.append("name: must not be empty") }
        if phases.isEmpty { problems.append("phases: a campaign has at least one phase") }
        var keys: Set<String> = []
        for (index, phase) in phases.enumerated() {
            if phase.key.isEmpty { problems.append("phases[\(index)].key: must not be empty") }
            if !keys.insert(phase.key).inserted { problems.append("phases[\(index)].key: '\(phase.key)' is used twice") }
            if phase.ends < phase.starts { problems.append("phases[\(index)].ends: \(phase.ends) is before its start \(phase.starts)") }
            if index > 0, phase.starts <= phases[index - 1].ends {
                problems.append("phases[\(index)].starts: \(phase.starts) is not after the previous phase's end \(phases[index - 1].ends)")
            }
            if let minimum = phase.minimumMonthlyActivities, minimum < 0 {
                problems.append("phases[\(index)].minimum_monthly_activities: must not be negative")
            }
        }
        if let rules = commendation {
            if rules.to < rules.from { problems.append("commendation.to: \(rules.to) is before \(rules.from)") }
            if rules.volunteerMinimumHours < 0 || rules.volunteerMinimumActivities < 0 || rules.teamMinimumHoursPerMember < 0 {
                problems.append("commendation: minimums must not be negative")
            }
            if rules.volunteers < 0 || rules.teams < 0 { problems.append("commendation: the numbers commended must not be negative") }
        }
        return problems
    }
}

/// Reads campaign files: snake_case JSON, unknown keys belong to other services and are skipped.
public enum CampaignFile {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decodes a campaign document from `path`, naming the file and the field when it is wrong.
    public static func load<Document: Decodable>(_ type: Document.Type, from path: String) throws -> Document {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CampaignFileError(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw CampaignFileError(path: path, message: describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue): missing".trimmingCharacters(in: ["."])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "file" : path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// A campaign file that is missing or wrong.
public struct CampaignFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "campaign file \(path): \(message)" }
}

extension CampaignCalendar {
    /// The World Expo 2010 phases (seed/town-plan.en.md): recruitment by the end of October 2009,
    /// pre-job training before Spring Festival (14 February 2010), post training by the end of
    /// April, the Expo from May to October; the year-end commendation of 2010 (40 hours and 12
    /// activities for a volunteer, 20 hours a member for a team; 100 volunteers, 20 teams). The default when no campaign file is configured,
    /// the same as `deploy/campaigns/expo-2010.json`.
    public static let expo2010 = CampaignCalendar(name: "上海世博会平安志愿者 2010", phases: [
        CampaignPhase(key: "recruitment", name: "招募", starts: day("2009-09-01"), ends: day("2009-10-31")),
        CampaignPhase(key: "pre_job_training", name: "岗前培训", starts: day("2009-11-01"), ends: day("2010-02-13")),
        CampaignPhase(key: "post_training", name: "上岗提升培训", starts: day("2010-02-14"), ends: day("2010-04-30"), minimumMonthlyActivities: 1),
        CampaignPhase(key: "expo", name: "世博会期间", starts: day("2010-05-01"), ends: day("2010-10-31"), minimumMonthlyActivities: 2),
    ], commendation: CommendationRules(from: day("2010-01-01"), to: day("2010-12-31"), volunteerMinimumHours: 40, volunteerMinimumActivities: 12,
                                       volunteers: 100, teamMinimumHoursPerMember: 20, teams: 20))

    private static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }
}

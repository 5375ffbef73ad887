import PinganCampaign

/// A post as duty keeps it.
public struct PostRecord: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var project: ServiceProject
    public var unitCode: String
    public var place: String
    public var duty: String
    public var route: [Checkpoint]
    public var retiredAt: String?
    public var retireReason: String?
}

/// A volunteer as the registry described them when duty last asked.
public struct DutyVolunteer: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var unitCode: String
    /// applied, committee_accepted, active, suspended, withdrawn, rejected
    public var status: String
    /// Their team, if they are in one (the commendation ranks teams).
    public var teamID: Int64?
    public var teamName: String?

    public init(id: Int64, name: String, unitCode: String, status: String, teamID: Int64? = nil, teamName: String? = nil) {
        self.id = id
        self.name = name
        self.unitCode = unitCode
        self.status = status
        self.teamID = teamID
        self.teamName = teamName
    }
}

/// A person fixed to a post for a time.
public struct ShiftRecord: Sendable, Hashable {
    public var id: Int64
    public var postCode: String
    public var project: ServiceProject
    public var unitCode: String
    public var volunteerID: Int64
    public var volunteerName: String
    public var starts: LocalTime
    public var ends: LocalTime
    /// assigned, cancelled
    public var status: String
}

/// One activity: who, what, when, where, how long.
public struct ActivityRecord: Sendable, Hashable {
    public var id: Int64
    public var volunteerID: Int64
    public var project: ServiceProject
    public var day: CalendarDay
    public var place: String
    public var hours: Double
    public var unitCode: String
}

/// A hazard report and every step of its handling.
public struct HazardRecord: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public var at: String
        public var on: String
        public var from: String?
        public var to: String
        public var actor: String
        public var note: String
    }

    public var id: Int64
    public var kind: HazardKind
    public var unitCode: String
    public var place: String
    public var description: String
    public var reportedBy: Int64?
    public var reportedOn: CalendarDay
    public var status: HazardStatus
    public var department: String?
    public var dueOn: CalendarDay?
    public var steps: [Step]
}

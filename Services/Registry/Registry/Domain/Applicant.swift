import PinganRPC
import PinganCampaign

/// What a person declares when applying at a residential committee (public recruitment).
public struct Applicant: Sendable, Hashable {
    public enum Identity: Sendable, Hashable {
        /// Mainland residents: the 18-character resident ID number, as typed.
        case residentID(String)
        /// Foreigners (and others without a resident ID): a passport or other document.
        case passport(number: String, country: String)
    }

    public enum Residency: Sendable, Hashable {
        /// Shanghai household registration (户籍).
        case shanghaiHousehold
        /// From another province, living in Shanghai since the given day.
        case otherProvince(since: CalendarDay)
        /// From abroad, living in Shanghai since the given day.
        case foreign(since: CalendarDay)
    }

    /// An office waiver of the age limits, which must say why.
    public struct AgeWaiver: Sendable, Hashable {
        public var reason: String
        public init(reason: String) { self.reason = reason }
    }

    public var name: String
    public var identity: Identity
    public var birthDate: CalendarDay
    public var residency: Residency
    public var hasStableJob: Bool
    public var hasFixedResidence: Bool
    public var declaresGoodHealth: Bool
    public var willingToServe: Bool
    public var hasTimeToServe: Bool
    public var ageWaiver: AgeWaiver?

    public init(
        name: String, identity: Identity, birthDate: CalendarDay, residency: Residency,
        hasStableJob: Bool = true, hasFixedResidence: Bool = true, declaresGoodHealth: Bool = true,
        willingToServe: Bool = true, hasTimeToServe: Bool = true, ageWaiver: AgeWaiver? = nil
    ) {
        self.name = name
        self.identity = identity
        self.birthDate = birthDate
        self.residency = residency
        self.hasStableJob = hasStableJob
        self.hasFixedResidence = hasFixedResidence
        self.declaresGoodHealth = declaresGoodHealth
        self.willingToServe = willingToServe
        self.hasTimeToServe = hasTimeToServe
        self.ageWaiver = ageWaiver
    }
}

/// A broken eligibility, batch or team rule.

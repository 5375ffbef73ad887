import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganRPC

/// A service's part of the gateway, in one type: its sections of `pingan volunteer show` and of
/// `pingan dashboard`, the district figures it adds up, and its command group. A service with
/// something to show adds one type and one line in `GatewaySections.all`.
public protocol ServiceSection: Sendable {
    /// The service it asks; its address comes from the town's config.
    var service: ServiceName { get }
    /// `pingan <service> ...`, its everyday operations, if it has any.
    var commands: (any ParsableCommand.Type)? { get }

    /// Its sections of `volunteer show`, for when the service does not answer. `day` is the day
    /// the view is read on (duty shows that month).
    var volunteerSections: [SectionTitle] { get }
    /// True for the service whose NOT_FOUND means "no such volunteer" (the registry).
    var identifiesVolunteers: Bool { get }
    func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section]

    /// Its sections of the dashboard, for when the service does not answer.
    var dashboardSections: [SectionTitle] { get }
    /// Figures for the district table, in column order: a part and a whole per figure.
    var figures: [Figure] { get }
    func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart
}

extension ServiceSection {
    public var commands: (any ParsableCommand.Type)? { nil }
    public var volunteerSections: [SectionTitle] { [] }
    public var identifiesVolunteers: Bool { false }
    public func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section] { [] }
    public var dashboardSections: [SectionTitle] { [] }
    public var figures: [Figure] { [] }
    public func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart {
        DashboardPart(sections: [], figures: [:])
    }
}

/// Every service's part, in the order they print.
public enum GatewaySections {
    public static let all: [any ServiceSection] = [RegistrySection(), TrainingSection(), DutySection(), FinanceSection()]
}

/// What the dashboard is asked for: the day it is read on (the week and month of duty's figures
/// end there) and whether every unit is listed.
public struct DashboardQuery: Sendable {
    public var on: CalendarDay
    public var full: Bool

    public init(on: CalendarDay, full: Bool) {
        self.on = on
        self.full = full
    }
}

/// A section's stable id and its title.
public struct SectionTitle: Sendable {
    public var id: String
    public var title: Text

    public init(_ id: String, _ title: Text) {
        self.id = id
        self.title = title
    }

    /// The section without an answer, saying why.
    func unavailable(_ reason: String, code: RPCError.Code? = nil) -> Section {
        .unavailable(id: id, title: title, reason: reason, code: code?.description)
    }
}

/// A figure that adds up across towns, e.g. "recruitment".
public struct Figure: Sendable {
    public var key: String
    public var label: Text

    public init(_ key: String, _ label: Text) {
        self.key = key
        self.label = label
    }
}

/// One service's dashboard answer for one town.
public struct DashboardPart: Sendable {
    public var sections: [Section]
    /// Figure key to (part, whole), e.g. "recruitment" to (4139, 6249).
    public var figures: [String: (part: Int64, whole: Int64)]

    public init(sections: [Section], figures: [String: (part: Int64, whole: Int64)]) {
        self.sections = sections
        self.figures = figures
    }
}

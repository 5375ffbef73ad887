import PinganRPCTransport

/// A service's part of `pingan volunteer show`: its sections about one volunteer.
public protocol VolunteerPlugin: Sendable {
    /// The service it asks, as named in the config ("registry").
    var service: String { get }
    /// Its sections' ids and titles, for when the service does not answer.
    var sections: [(id: String, title: Text)] { get }
    func volunteer(_ id: Int64, client: RPCClient, options: CallOptions) async throws -> [Section]
}

/// A service's part of `pingan dashboard`: its sections for one town, and the figures that add
/// up across towns for district totals.
public protocol DashboardPlugin: Sendable {
    var service: String { get }
    var sections: [(id: String, title: Text)] { get }
    /// Figures for the district table, in column order: a part and a whole per figure.
    var figures: [(key: String, label: Text)] { get }
    func dashboard(client: RPCClient, options: CallOptions, full: Bool) async throws -> DashboardPart
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

/// Every service's plugins. A new service adds its plugin files and a line here.
public enum Plugins {
    public static let volunteer: [any VolunteerPlugin] = [RegistryVolunteerPlugin(), TrainingVolunteerPlugin()]
    public static let dashboard: [any DashboardPlugin] = [RegistryDashboardPlugin(), TrainingDashboardPlugin()]
}

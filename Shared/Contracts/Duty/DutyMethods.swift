import PinganRPC

/// Duty's methods and who may call them.
public enum DutyMethods {
    static let service = "pingan.duty.v1.Duty"

    public static let listProjects = MethodDescriptor(service: service, method: "ListProjects", isIdempotent: true, access: .anyRole)
    public static let savePost = MethodDescriptor(service: service, method: "SavePost", isIdempotent: true, access: .only(.admin, .coordinator))
    public static let retirePost = MethodDescriptor(service: service, method: "RetirePost", isIdempotent: true, access: .only(.admin, .coordinator))
    public static let listPosts = MethodDescriptor(service: service, method: "ListPosts", isIdempotent: true, access: .anyRole)
    public static let assignShift = MethodDescriptor(service: service, method: "AssignShift", access: .only(.admin, .coordinator))
    public static let assignRota = MethodDescriptor(service: service, method: "AssignRota", access: .only(.admin, .coordinator))
    public static let cancelShift = MethodDescriptor(service: service, method: "CancelShift", access: .only(.admin, .coordinator))
    public static let listShifts = MethodDescriptor(service: service, method: "ListShifts", isIdempotent: true, access: .anyRole)
    public static let recordActivity = MethodDescriptor(service: service, method: "RecordActivity", access: .only(.admin, .coordinator))
    public static let recordActivities = MethodDescriptor(service: service, method: "RecordActivities", access: .only(.admin, .coordinator))
    public static let getVolunteerDuty = MethodDescriptor(service: service, method: "GetVolunteerDuty", isIdempotent: true, access: .anyRole)
    public static let getCompliance = MethodDescriptor(
        service: service, method: "GetCompliance", isIdempotent: true, access: .only(.admin, .auditor, .coordinator, .clerk))
    public static let reportHazard = MethodDescriptor(service: service, method: "ReportHazard", access: .only(.admin, .coordinator, .clerk))
    public static let advanceHazard = MethodDescriptor(service: service, method: "AdvanceHazard", access: .only(.admin, .coordinator, .clerk))
    public static let listHazards = MethodDescriptor(service: service, method: "ListHazards", isIdempotent: true, access: .anyRole)
    public static let getCoverage = MethodDescriptor(service: service, method: "GetCoverage", isIdempotent: true, access: .anyRole)
    /// Idempotent by nature: a checkpoint is recorded once, a repeat keeps the first time.
    public static let checkIn = MethodDescriptor(
        service: service, method: "CheckIn", isIdempotent: true, access: .only(.admin, .coordinator, .clerk, .service))
    public static let listRounds = MethodDescriptor(service: service, method: "ListRounds", isIdempotent: true, access: .anyRole)
    public static let watchMissedCheckpoints = MethodDescriptor(
        service: service, method: "WatchMissedCheckpoints", kind: .serverStreaming, isIdempotent: true,
        access: .only(.admin, .auditor, .coordinator, .clerk))
    public static let streamMonthService = MethodDescriptor(
        service: service, method: "StreamMonthService", kind: .serverStreaming, isIdempotent: true, access: .only(.finance, .admin, .auditor, .service))
    public static let getCommendation = MethodDescriptor(service: service, method: "GetCommendation", isIdempotent: true, access: .anyRole)
    // Disputes and key persons: personal and sensitive; no clerk, auditor or service reads them.
    public static let openDispute = MethodDescriptor(service: service, method: "OpenDispute", access: .only(.admin, .coordinator))
    public static let advanceDispute = MethodDescriptor(service: service, method: "AdvanceDispute", access: .only(.admin, .coordinator))
    public static let listDisputes = MethodDescriptor(service: service, method: "ListDisputes", isIdempotent: true, access: .only(.admin, .coordinator))
    public static let addKeyPerson = MethodDescriptor(service: service, method: "AddKeyPerson", access: .only(.admin, .coordinator))
    public static let listKeyPersons = MethodDescriptor(service: service, method: "ListKeyPersons", isIdempotent: true, access: .only(.admin, .coordinator))
    public static let recordAssistance = MethodDescriptor(service: service, method: "RecordAssistance", access: .only(.admin, .coordinator))
    public static let listAssistance = MethodDescriptor(service: service, method: "ListAssistance", isIdempotent: true, access: .only(.admin, .coordinator))
}

import PinganRPC

/// The registry's methods and who may call them.
public enum RegistryMethods {
    static let service = "pingan.registry.v1.Registry"

    public static let saveUnits = MethodDescriptor(service: service, method: "SaveUnits", isIdempotent: true, access: .only(.admin))
    public static let registerBatch = MethodDescriptor(
        service: service, method: "RegisterBatch", kind: .clientStreaming, isIdempotent: true, access: .only(.admin, .clerk))
    public static let getVolunteer = MethodDescriptor(service: service, method: "GetVolunteer", isIdempotent: true, access: .anyRole)
    public static let getProgress = MethodDescriptor(service: service, method: "GetProgress", isIdempotent: true, access: .anyRole)
    public static let submitApplication = MethodDescriptor(service: service, method: "SubmitApplication", access: .only(.admin, .clerk))
    public static let decideApplication = MethodDescriptor(service: service, method: "DecideApplication", access: .only(.admin, .clerk))
    public static let getCampaign = MethodDescriptor(service: service, method: "GetCampaign", isIdempotent: true, access: .anyRole)
    public static let searchVolunteers = MethodDescriptor(
        service: service, method: "SearchVolunteers", isIdempotent: true, access: .only(.admin, .auditor, .clerk))
    public static let getVolunteerHistory = MethodDescriptor(
        service: service, method: "GetVolunteerHistory", isIdempotent: true, access: .only(.admin, .auditor, .clerk))
    public static let saveTeam = MethodDescriptor(service: service, method: "SaveTeam", access: .only(.admin, .clerk))
    public static let listTeams = MethodDescriptor(service: service, method: "ListTeams", isIdempotent: true, access: .anyRole)
    public static let transferVolunteer = MethodDescriptor(service: service, method: "TransferVolunteer", access: .only(.admin, .clerk))
    public static let assignStaffRole = MethodDescriptor(service: service, method: "AssignStaffRole", access: .only(.admin))
    public static let endStaffRole = MethodDescriptor(service: service, method: "EndStaffRole", access: .only(.admin))
    public static let listStaff = MethodDescriptor(service: service, method: "ListStaff", isIdempotent: true, access: .anyRole)
    public static let exportVolunteers = MethodDescriptor(
        service: service, method: "ExportVolunteers", kind: .serverStreaming, isIdempotent: true, access: .only(.admin, .auditor, .clerk, .service))
}

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
    public static let exportVolunteers = MethodDescriptor(
        service: service, method: "ExportVolunteers", kind: .serverStreaming, isIdempotent: true, access: .only(.admin, .auditor, .clerk))
}

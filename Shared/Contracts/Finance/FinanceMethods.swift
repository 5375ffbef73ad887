import PinganRPC

/// Finance's methods and who may call them.
public enum FinanceMethods {
    static let service = "pingan.finance.v1.Finance"

    public static let openFunder = MethodDescriptor(service: service, method: "OpenFunder", isIdempotent: true, access: .only(.admin, .finance))
    /// Idempotent by the caller's transfer id.
    public static let grant = MethodDescriptor(service: service, method: "Grant", isIdempotent: true, access: .only(.admin, .finance))
    public static let addRate = MethodDescriptor(service: service, method: "AddRate", isIdempotent: true, access: .only(.admin, .finance))
    public static let getRate = MethodDescriptor(service: service, method: "GetRate", isIdempotent: true, access: .anyRole)
    /// Idempotent by the caller's transfer ids.
    public static let createTransfers = MethodDescriptor(service: service, method: "CreateTransfers", isIdempotent: true, access: .only(.admin, .finance))
    public static let listAccounts = MethodDescriptor(service: service, method: "ListAccounts", isIdempotent: true, access: .only(.admin, .finance, .auditor))
    public static let getTrialBalance = MethodDescriptor(service: service, method: "GetTrialBalance", isIdempotent: true, access: .only(.admin, .finance, .auditor))
}

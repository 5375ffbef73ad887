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

    /// Honours idempotency-key; a month is computed once.
    public static let computeAllowances = MethodDescriptor(service: service, method: "ComputeAllowances", isIdempotent: false, access: .only(.admin, .finance))
    /// Again by the same approver: answered as it is.
    public static let approveBatch = MethodDescriptor(service: service, method: "ApproveBatch", isIdempotent: true, access: .only(.admin, .finance))
    public static let postBatch = MethodDescriptor(service: service, method: "PostBatch", isIdempotent: true, access: .only(.admin, .finance))
    public static let rejectBatch = MethodDescriptor(service: service, method: "RejectBatch", isIdempotent: true, access: .only(.admin, .finance))
    public static let listBatches = MethodDescriptor(service: service, method: "ListBatches", isIdempotent: true, access: .only(.admin, .finance, .auditor))
    public static let getBatchLines = MethodDescriptor(service: service, method: "GetBatchLines", isIdempotent: true, access: .only(.admin, .finance, .auditor))
    public static let getBudgetReport = MethodDescriptor(service: service, method: "GetBudgetReport", isIdempotent: true, access: .only(.admin, .finance, .auditor))
    public static let getVolunteerFinance = MethodDescriptor(service: service, method: "GetVolunteerFinance", isIdempotent: true,
                                                             access: .only(.admin, .finance, .auditor))
    /// Idempotent by the caller's transfer id.
    public static let purchaseStock = MethodDescriptor(service: service, method: "PurchaseStock", isIdempotent: true, access: .only(.admin, .finance))
    /// Honours idempotency-key.
    public static let moveStock = MethodDescriptor(service: service, method: "MoveStock", isIdempotent: false, access: .only(.admin, .finance))
    public static let getStock = MethodDescriptor(service: service, method: "GetStock", isIdempotent: true, access: .only(.admin, .finance, .auditor))
}

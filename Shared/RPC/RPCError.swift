/// The error every call fails with: a status code, a message naming the field and the rule,
/// optional machine-readable details, and a cause that is logged but never sent.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    public var code: Code
    public var message: String
    public var details: ErrorDetails?
    /// The underlying error, for logs on this side only.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, details: ErrorDetails? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    public var description: String { "\(code): \(message)" }

    /// Status codes with gRPC's numbers and meanings.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let ok = Code(rawValue: 0)
        public static let cancelled = Code(rawValue: 1)
        public static let unknown = Code(rawValue: 2)
        public static let invalidArgument = Code(rawValue: 3)
        public static let deadlineExceeded = Code(rawValue: 4)
        public static let notFound = Code(rawValue: 5)
        public static let alreadyExists = Code(rawValue: 6)
        public static let permissionDenied = Code(rawValue: 7)
        public static let resourceExhausted = Code(rawValue: 8)
        public static let failedPrecondition = Code(rawValue: 9)
        public static let aborted = Code(rawValue: 10)
        public static let outOfRange = Code(rawValue: 11)
        public static let unimplemented = Code(rawValue: 12)
        public static let `internal` = Code(rawValue: 13)
        public static let unavailable = Code(rawValue: 14)
        public static let dataLoss = Code(rawValue: 15)
        public static let unauthenticated = Code(rawValue: 16)

        private static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
            "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED",
        ]

        /// gRPC's name, e.g. "INVALID_ARGUMENT".
        public var description: String {
            Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "CODE_\(rawValue)"
        }
    }
}

/// Domain errors conform to this so that the runtime can send them with the right code;
/// anything else a handler throws goes out as INTERNAL with a generic message.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    public var rpcError: RPCError { self }
}

extension RPCError {
    /// This error of a call to another service, as the answer of the call that made it. The
    /// caller's deadline passing stays DEADLINE_EXCEEDED, since a retry with the same deadline
    /// cannot help; the other service being unreachable is UNAVAILABLE, which a retry may cure;
    /// anything else passes unchanged. `consequence` says what could not be done.
    public func fromDownstream(_ service: String, _ consequence: String) -> RPCError {
        switch code {
        case .deadlineExceeded:
            RPCError(.deadlineExceeded, "the deadline passed before the \(service) answered, so \(consequence) (\(message))", cause: self)
        case .unavailable:
            RPCError(.unavailable, "the \(service) is unavailable, so \(consequence); try again later (\(message))", details: details, cause: self)
        default:
            self
        }
    }
}

extension RPCError {
    /// The `StatusDetails.reason` of a call that never reached a handler: safe to retry.
    public static let notProcessedReason = "NOT_PROCESSED"

    /// UNAVAILABLE for a call no handler saw: any method may be retried elsewhere.
    public static func notProcessed(_ message: String) -> RPCError {
        RPCError(.unavailable, message, details: ErrorDetails(reason: notProcessedReason))
    }

    /// True for UNAVAILABLE errors of calls the server never processed.
    public var wasNotProcessed: Bool {
        code == .unavailable && details?.reason == Self.notProcessedReason
    }
}

extension RPCError {
    /// The `StatusDetails.reason` of a call the server's shutdown cut short after its drain bound.
    public static let shutdownReason = "SHUTDOWN"

    /// UNAVAILABLE for a call still open when the drain bound passed: it may have been partly
    /// processed, so only an idempotent method may be retried (on another server).
    public static func cutByShutdown(callID: UInt32, gracePeriod: Duration) -> RPCError {
        RPCError(.unavailable, "the server shut down before call \(callID) finished (it drains for \(gracePeriod.components.seconds) s); "
                 + "it may have been partly processed: retry only if the method is idempotent", details: ErrorDetails(reason: shutdownReason))
    }
}

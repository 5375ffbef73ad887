import PinganProtocolContracts
import PinganWire

extension CallStatus {
    /// The STATUS payload that reports `error` (its cause stays here), at most `limit` bytes.
    /// When its field violations do not all fit, the first ones that do are sent in order, the
    /// details count the rest in `omitted_violations` and the message says so: a refusal never
    /// costs the connection, however many rows it names.
    public init(_ error: RPCError, limit: Int = WireLimits().maximumPayloadSize) {
        guard let details = error.details else {
            self.init(code: error.code.rawValue, message: error.message)
            return
        }
        var wire = Self.wire(details)
        var message = error.message
        var bytes: [UInt8] = (try? wire.serializedBytes()) ?? []
        let fixed = Self.fixedSize(message: message) + Self.noteRoom
        if fixed + bytes.count > limit {
            let sizes = wire.fieldViolations.map { Self.encodedSize(of: $0) }
            var budget = limit - fixed - (bytes.count - sizes.reduce(0, +))
            let kept = sizes.prefix { size in
                budget -= size
                return budget >= 0
            }.count
            let omitted = wire.fieldViolations.count - kept
            wire.fieldViolations.removeLast(omitted)
            wire.omittedViolations += UInt32(clamping: omitted)
            bytes = (try? wire.serializedBytes()) ?? []
            message += " (\(wire.omittedViolations) more not listed: a status carries at most \(limit) bytes)"
        }
        self.init(code: error.code.rawValue, message: message, details: bytes)
    }

    /// The error a caller sees for a non-OK status.
    public var rpcError: RPCError {
        let details = self.details.isEmpty ? nil : (try? Pingan_Rpc_V1_StatusDetails(serializedBytes: self.details)).map { message in
            ErrorDetails(reason: message.reason, fieldViolations: message.fieldViolations.map {
                ErrorDetails.FieldViolation(field: $0.field, rule: $0.rule, description: $0.description_p)
            }, omittedViolations: Int(message.omittedViolations),
               retryAfter: message.retryAfterMs > 0 ? .milliseconds(message.retryAfterMs) : nil)
        }
        return RPCError(RPCError.Code(rawValue: code), message, details: details)
    }

    /// STATUS OK.
    public static let ok = CallStatus(code: RPCError.Code.ok.rawValue)

    /// The wire form of `details`.
    static func wire(_ details: ErrorDetails) -> Pingan_Rpc_V1_StatusDetails {
        var message = Pingan_Rpc_V1_StatusDetails()
        message.reason = details.reason
        message.fieldViolations = details.fieldViolations.map { violation in
            var field = Pingan_Rpc_V1_FieldViolation()
            field.field = violation.field
            field.rule = violation.rule
            field.description_p = violation.description
            return field
        }
        message.omittedViolations = UInt32(clamping: details.omittedViolations)
        if let retryAfter = details.retryAfter {
            message.retryAfterMs = retryAfter.components.seconds * 1000 + retryAfter.components.attoseconds / 1_000_000_000_000_000
        }
        return message
    }

    /// Code, message, the details' length and an empty metadata list.
    static func fixedSize(message: String) -> Int {
        1 + 2 + min(message.utf8.count, Int(UInt16.max)) + 4 + 2
    }

    /// Room kept for the note that says how many violations were left out, and its count.
    static let noteRoom = 128

    /// A violation's bytes inside StatusDetails: its tag, its length and itself.
    static func encodedSize(of violation: Pingan_Rpc_V1_FieldViolation) -> Int {
        let size = ((try? violation.serializedBytes()) as [UInt8]?)?.count ?? 0
        var lengthBytes = 1
        while size >> (7 * lengthBytes) > 0 { lengthBytes += 1 }
        return 1 + lengthBytes + size
    }
}

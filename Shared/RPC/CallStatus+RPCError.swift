import PinganProtocolContracts
import PinganWire

extension CallStatus {
    /// The STATUS payload that reports `error` to the caller (its cause stays here).
    public init(_ error: RPCError) {
        var details: [UInt8] = []
        if let value = error.details {
            var message = Pingan_Rpc_V1_StatusDetails()
            message.reason = value.reason
            message.fieldViolations = value.fieldViolations.map { violation in
                var field = Pingan_Rpc_V1_FieldViolation()
                field.field = violation.field
                field.rule = violation.rule
                field.description_p = violation.description
                return field
            }
            if let retryAfter = value.retryAfter {
                message.retryAfterMs = retryAfter.components.seconds * 1000 + retryAfter.components.attoseconds / 1_000_000_000_000_000
            }
            details = (try? message.serializedBytes()) ?? []
        }
        self.init(code: error.code.rawValue, message: error.message, details: details)
    }

    /// The error a caller sees for a non-OK status.
    public var rpcError: RPCError {
        let details = self.details.isEmpty ? nil : (try? Pingan_Rpc_V1_StatusDetails(serializedBytes: self.details)).map { message in
            ErrorDetails(reason: message.reason, fieldViolations: message.fieldViolations.map {
                ErrorDetails.FieldViolation(field: $0.field, rule: $0.rule, description: $0.description_p)
            }, retryAfter: message.retryAfterMs > 0 ? .milliseconds(message.retryAfterMs) : nil)
        }
        return RPCError(RPCError.Code(rawValue: code), message, details: details)
    }

    /// STATUS OK.
    public static let ok = CallStatus(code: RPCError.Code.ok.rawValue)
}

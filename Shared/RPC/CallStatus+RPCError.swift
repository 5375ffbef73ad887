import PinganProtocolContracts
import PinganWire

extension CallStatus {
    /// The STATUS payload that reports `error` to the caller (its cause stays here).
    public init(_ error: RPCError) {
        var details: [UInt8] = []
        if let value = error.details {
            details = (try? value.serializedBytes()) ?? []
        }
        self.init(code: error.code.rawValue, message: error.message, details: details)
    }

    /// The error a caller sees for a non-OK status.
    public var rpcError: RPCError {
        let details = self.details.isEmpty ? nil : try? Pingan_Rpc_V1_StatusDetails(serializedBytes: self.details)
        return RPCError(RPCError.Code(rawValue: code), message, details: details)
    }

    /// STATUS OK.
    public static let ok = CallStatus(code: RPCError.Code.ok.rawValue)
}

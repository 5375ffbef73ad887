import NIOCore

/// The payload of a GOAWAY frame:
///
/// ```
/// +----------------------+----------------------+-------------------+-----------------+
/// | last_call_id (u32)   | error_code (u32)     | message_len (u16) | message (UTF-8) |
/// +----------------------+----------------------+-------------------+-----------------+
/// ```
/// Calls with ids up to `lastCallID` may still complete; later ones were never processed and
/// may be retried on another connection.
public struct GoAway: Sendable, Hashable {
    /// Why the connection is going away.
    public struct ErrorCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let noError = ErrorCode(rawValue: 0)
        public static let protocolError = ErrorCode(rawValue: 1)
        public static let internalError = ErrorCode(rawValue: 2)
        public static let unsupportedVersion = ErrorCode(rawValue: 3)
        public static let frameTooLarge = ErrorCode(rawValue: 4)

        public var description: String {
            switch self {
            case .noError: "NO_ERROR"
            case .protocolError: "PROTOCOL_ERROR"
            case .internalError: "INTERNAL_ERROR"
            case .unsupportedVersion: "UNSUPPORTED_VERSION"
            case .frameTooLarge: "FRAME_TOO_LARGE"
            default: "ERROR_\(rawValue)"
            }
        }
    }

    public var lastCallID: UInt32
    public var errorCode: ErrorCode
    public var message: String

    public init(lastCallID: UInt32, errorCode: ErrorCode, message: String) {
        self.lastCallID = lastCallID
        self.errorCode = errorCode
        self.message = message
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(lastCallID)
        buffer.writeInteger(errorCode.rawValue)
        var text = message
        while text.utf8.count > 1024 { text.removeLast() }
        buffer.writeInteger(UInt16(text.utf8.count))
        buffer.writeString(text)
    }

    public static func read(from payload: ByteBuffer) throws -> GoAway {
        var payload = payload
        let lastCallID = try payload.readField(UInt32.self, "goaway.last_call_id", .malformedGoAway)
        let code = try payload.readField(UInt32.self, "goaway.error_code", .malformedGoAway)
        let length = try payload.readField(UInt16.self, "goaway.message length", .malformedGoAway)
        let message = try payload.readUTF8(length: Int(length), "goaway.message", .malformedGoAway)
        try payload.requireFullyRead("goaway", .malformedGoAway)
        return GoAway(lastCallID: lastCallID, errorCode: ErrorCode(rawValue: code), message: message)
    }
}

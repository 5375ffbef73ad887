/// A violation of the wire protocol by the peer. It ends the connection with a GOAWAY that
/// carries `goAwayCode` and `message`; it never affects other connections.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of violation; tests and metrics key on it.
    public enum Code: String, Sendable, Hashable {
        case badPreface
        case unsupportedVersion
        case frameTooLarge
        case unknownFrameType
        case invalidFlags
        case invalidCallID
        case invalidPayload
        case malformedHeaders
        case malformedStatus
        case malformedGoAway
        case truncatedFrame
        case callIDReused
        case unexpectedFrame
        case flowControl
    }

    public var code: Code
    /// A sentence naming what was wrong, sent to the peer in the GOAWAY.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The GOAWAY error code this violation is reported with.
    public var goAwayCode: GoAway.ErrorCode {
        switch code {
        case .unsupportedVersion: .unsupportedVersion
        case .frameTooLarge: .frameTooLarge
        default: .protocolError
        }
    }

    public var description: String { "protocol error (\(code.rawValue)): \(message)" }
}

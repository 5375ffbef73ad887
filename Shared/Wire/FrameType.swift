/// The kind of a frame, its fifth header byte. Numbers are fixed by PROTOCOL.md.
public enum FrameType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Client -> server: opens a call with its method name, deadline and metadata.
    case headers = 0x01
    /// Either direction: one complete protobuf message of a call.
    case message = 0x02
    /// Server -> client: ends a call with a status code, message and details.
    case status = 0x03
    /// Client -> server: the client gave up on the call; the server stops its work.
    case cancel = 0x04
    /// Either direction: the receiver of a call's messages grants the sender more credit.
    case windowUpdate = 0x05
    /// Either direction, call id 0: liveness check, answered with the ACK flag.
    case ping = 0x06
    /// Either direction, call id 0: the sender will accept no calls above `lastCallID`.
    case goAway = 0x07
    /// Client -> server: the client will send no more messages on this call.
    case close = 0x08

    /// The name PROTOCOL.md gives the type ("WINDOW_UPDATE"), for every message a peer may read.
    public var description: String {
        switch self {
        case .headers: "HEADERS"
        case .message: "MESSAGE"
        case .status: "STATUS"
        case .cancel: "CANCEL"
        case .windowUpdate: "WINDOW_UPDATE"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        case .close: "CLOSE"
        }
    }

    /// The largest payload a receiver accepts for this type under `limits`: HEADERS are small
    /// (method and metadata); a STATUS may carry as many field violations as a message may
    /// carry bytes; fixed-size frames are checked for their exact size after this.
    public func payloadLimit(_ limits: WireLimits) -> Int {
        self == .headers ? limits.maximumHeadersSize : limits.maximumPayloadSize
    }

    /// Frames about the connection carry call id 0; all others a non-zero call id.
    public var isConnectionLevel: Bool {
        self == .ping || self == .goAway
    }

    /// The flags this type may carry; any other bit set is a protocol error.
    public var allowedFlags: FrameFlags {
        switch self {
        case .headers, .message: .endStream
        case .ping: .ack
        case .status, .cancel, .goAway, .windowUpdate, .close: []
        }
    }
}

/// The frame header's flag bits. Their meaning depends on the frame type.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// HEADERS / MESSAGE: the sender will send no more messages on this call.
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// PING: this is the answer to a ping.
    public static let ack = FrameFlags(rawValue: 0x01)
}

import NIOCore

/// The fixed 10-byte header in front of every frame, all integers big-endian:
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +---------------------------------------------------------------+
/// |                     Payload length (32)                       |
/// +---------------+---------------+-------------------------------+
/// |   Type (8)    |   Flags (8)   |        Call id (32) ...       |
/// +---------------+---------------+-------------------------------+
/// |    ... Call id (cont.)        |   Payload (length bytes) ...
/// +-------------------------------+
/// ```
public struct FrameHeader: Sendable, Hashable {
    /// Bytes in the header itself.
    public static let size = 10

    public var payloadLength: UInt32
    public var type: FrameType
    public var flags: FrameFlags
    public var callID: UInt32

    public init(payloadLength: UInt32, type: FrameType, flags: FrameFlags = [], callID: UInt32) {
        self.payloadLength = payloadLength
        self.type = type
        self.flags = flags
        self.callID = callID
    }
}

/// One decoded frame: its header fields and its payload (a slice of the received bytes).
public struct Frame: Sendable, Hashable {
    public var type: FrameType
    public var flags: FrameFlags
    public var callID: UInt32
    public var payload: ByteBuffer

    public init(type: FrameType, flags: FrameFlags = [], callID: UInt32, payload: ByteBuffer) {
        self.type = type
        self.flags = flags
        self.callID = callID
        self.payload = payload
    }
}

/// The connection preface each side sends first: the ASCII magic `PINGAN` and a 16-bit
/// protocol version, 8 bytes in all.
public enum ConnectionPreface {
    public static let magic: [UInt8] = Array("PINGAN".utf8)
    public static let size = 8
    /// The protocol version this implementation speaks.
    public static let currentVersion: UInt16 = 1
}

/// What the decoder produces: first the peer's preface, then frames.
public enum WireEvent: Sendable, Hashable {
    case preface(version: UInt16)
    case frame(Frame)
}

/// Flow control: how many messages each side may send on a call before the receiver grants
/// more with WINDOW_UPDATE.
public enum FlowControl {
    /// Credit every call starts with, in each direction.
    public static let initialWindow = 64
}

/// Sizes the decoder enforces before it buffers a payload.
public struct WireLimits: Sendable, Hashable {
    /// The largest payload of any frame; a MESSAGE payload is one whole message.
    public var maximumPayloadSize: Int
    /// The largest HEADERS payload (method name and metadata).
    public var maximumHeadersSize: Int

    public init(maximumPayloadSize: Int = 4 * 1024 * 1024, maximumHeadersSize: Int = 16 * 1024) {
        self.maximumPayloadSize = maximumPayloadSize
        self.maximumHeadersSize = maximumHeadersSize
    }
}

import NIOCore

/// The payload of a HEADERS frame, which opens a call:
///
/// ```
/// +-------------------+---------------------------+
/// | method_len (u16)  | method (UTF-8, e.g.        |
/// |                   | /pingan.health.v1.Health/Check)
/// +-------------------+---------------------------+
/// | timeout_us (u64): relative deadline, 0 = none |
/// +-----------------------------------------------+
/// | metadata: count (u16), then per entry          |
/// |   key_len (u8) key, value_len (u16) value      |
/// +-----------------------------------------------+
/// ```
public struct CallHeaders: Sendable, Hashable {
    /// `/package.Service/Method`.
    public var method: String
    /// Time the caller allows from when it sent the call; nil for no deadline.
    public var timeout: Duration?
    public var metadata: [MetadataEntry]

    public init(method: String, timeout: Duration? = nil, metadata: [MetadataEntry] = []) {
        self.method = method
        self.timeout = timeout
        self.metadata = metadata
    }

    /// The longest method name a HEADERS frame may carry.
    public static let maximumMethodLength = 1024

    /// True if `method` has the form `/Service/Method`: a slash, a service name (the proto's
    /// fully qualified name, `pingan.registry.v1.Registry`), a slash and a method name, each
    /// non-empty and of printable ASCII other than space and slash. A name of printable ASCII
    /// that is not of this form is a well-formed frame naming no method: the call is refused
    /// with UNIMPLEMENTED and the connection goes on (PROTOCOL.md §4).
    public static func isValidMethodName(_ method: String) -> Bool {
        let utf8 = method.utf8
        guard utf8.first == UInt8(ascii: "/"), utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return false }
        let parts = method.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
    }

    /// True if `method` is printable ASCII (space included) within the length limit: anything
    /// else cannot name a method of any service, and the frame is malformed.
    public static func isPrintableMethod(_ method: String) -> Bool {
        !method.isEmpty && method.utf8.count <= maximumMethodLength && method.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt16(method.utf8.count))
        buffer.writeString(method)
        buffer.writeInteger(timeout.map(Self.microseconds) ?? 0)
        buffer.writeMetadata(metadata)
    }

    public static func read(from payload: ByteBuffer) throws -> CallHeaders {
        var payload = payload
        let methodLength = try payload.readField(UInt16.self, "headers.method length", .malformedHeaders)
        let method = try payload.readUTF8(length: Int(methodLength), "headers.method", .malformedHeaders)
        guard isPrintableMethod(method) else {
            throw ProtocolError(.malformedHeaders, "headers.method: must be 1-\(maximumMethodLength) bytes of printable ASCII")
        }
        let timeout = try payload.readField(UInt64.self, "headers.timeout_us", .malformedHeaders)
        let metadata = try payload.readMetadata(field: "headers.metadata", error: .malformedHeaders)
        try payload.requireFullyRead("headers", .malformedHeaders)
        return CallHeaders(method: method, timeout: timeout == 0 ? nil : .microseconds(Int64(clamping: timeout)), metadata: metadata)
    }

    /// Whole microseconds, rounded up so a tiny positive timeout never becomes "no deadline".
    private static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 1 }
        let micros = UInt64(seconds) &* 1_000_000 &+ UInt64((attoseconds + 999_999_999_999) / 1_000_000_000_000)
        return max(1, micros)
    }
}

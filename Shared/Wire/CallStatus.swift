import NIOCore

/// The payload of a STATUS frame, which ends a call:
///
/// ```
/// +-------------+-------------------+-----------------------+
/// | code (u8)   | message_len (u16) | message (UTF-8)       |
/// +-------------+-------------------+-----------------------+
/// | details_len (u32) | details (pingan.rpc.v1.StatusDetails) |
/// +-------------------+---------------------------------------+
/// | trailing metadata: count (u16), entries as in HEADERS     |
/// +-----------------------------------------------------------+
/// ```
/// Codes are gRPC's: 0 OK ... 16 UNAUTHENTICATED.
public struct CallStatus: Sendable, Hashable {
    public var code: UInt8
    public var message: String
    /// A serialized `pingan.rpc.v1.StatusDetails`, empty when there are none.
    public var details: [UInt8]
    public var metadata: [MetadataEntry]

    public init(code: UInt8, message: String = "", details: [UInt8] = [], metadata: [MetadataEntry] = []) {
        self.code = code
        self.message = message
        self.details = details
        self.metadata = metadata
    }

    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(code)
        // Messages are for people; a runaway one is cut at a character boundary, not rejected.
        var text = message
        while text.utf8.count > Int(UInt16.max) { text.removeLast() }
        buffer.writeInteger(UInt16(text.utf8.count))
        buffer.writeString(text)
        buffer.writeInteger(UInt32(details.count))
        buffer.writeBytes(details)
        buffer.writeMetadata(metadata)
    }

    public static func read(from payload: ByteBuffer) throws -> CallStatus {
        var payload = payload
        let code = try payload.readField(UInt8.self, "status.code", .malformedStatus)
        let messageLength = try payload.readField(UInt16.self, "status.message length", .malformedStatus)
        let message = try payload.readUTF8(length: Int(messageLength), "status.message", .malformedStatus)
        let detailsLength = try payload.readField(UInt32.self, "status.details length", .malformedStatus)
        guard let details = payload.readBytes(length: Int(detailsLength)) else {
            throw ProtocolError(.malformedStatus, "status.details: declared \(detailsLength) bytes, \(payload.readableBytes) left in the payload")
        }
        let metadata = try payload.readMetadata(field: "status.metadata", error: .malformedStatus)
        try payload.requireFullyRead("status", .malformedStatus)
        return CallStatus(code: code, message: message, details: details, metadata: metadata)
    }
}

import NIOCore
import SwiftProtobuf

/// Lets SwiftProtobuf encode into and decode from a `ByteBuffer` directly, with no
/// intermediate `[UInt8]` copy.
struct ProtobufByteBuffer: SwiftProtobufContiguousBytes {
    var buffer: ByteBuffer

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    init(repeating: UInt8, count: Int) {
        buffer = ByteBuffer(repeating: repeating, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        buffer = ByteBuffer(bytes: sequence)
    }

    var count: Int { buffer.readableBytes }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes(body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes(body)
    }
}

extension SwiftProtobuf.Message {
    /// Decodes from the readable bytes of `buffer`, without copying them first.
    public init(payload buffer: ByteBuffer) throws {
        try self.init(serializedBytes: ProtobufByteBuffer(buffer))
    }

    /// Decodes a request; throws INVALID_ARGUMENT naming the message type.
    public init(rpcPayload buffer: ByteBuffer) throws(RPCError) {
        do {
            try self.init(payload: buffer)
        } catch {
            throw RPCError(.invalidArgument, "request: not a valid \(Self.protoMessageName) message (\(error))", cause: error)
        }
    }

    /// Encodes into a new buffer.
    public func rpcPayload() throws(RPCError) -> ByteBuffer {
        do {
            let bytes: ProtobufByteBuffer = try serializedBytes()
            return bytes.buffer
        } catch {
            throw RPCError(.internal, "cannot encode \(Self.protoMessageName): \(error)", cause: error)
        }
    }
}

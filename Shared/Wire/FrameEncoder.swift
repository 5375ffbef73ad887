import NIOCore

/// Writes prefaces and frames into a buffer. Callers append several frames to one buffer and
/// write it once, so a flush carries them all in a single TLS write.
public enum FrameEncoder {
    /// Appends the 8-byte connection preface.
    public static func writePreface(into buffer: inout ByteBuffer, version: UInt16 = ConnectionPreface.currentVersion) {
        buffer.writeBytes(ConnectionPreface.magic)
        buffer.writeInteger(version)
    }

    /// Appends a frame whose payload is already in a buffer.
    public static func writeFrame(
        _ type: FrameType, flags: FrameFlags = [], callID: UInt32, payload: ByteBuffer, into buffer: inout ByteBuffer
    ) {
        writeHeader(FrameHeader(payloadLength: UInt32(payload.readableBytes), type: type, flags: flags, callID: callID), into: &buffer)
        buffer.writeImmutableBuffer(payload)
    }

    /// Appends a frame whose payload `body` writes in place; the length is patched afterwards,
    /// so the payload is never copied.
    public static func writeFrame(
        _ type: FrameType, flags: FrameFlags = [], callID: UInt32, into buffer: inout ByteBuffer,
        body: (inout ByteBuffer) -> Void
    ) {
        let headerIndex = buffer.writerIndex
        writeHeader(FrameHeader(payloadLength: 0, type: type, flags: flags, callID: callID), into: &buffer)
        let payloadStart = buffer.writerIndex
        body(&buffer)
        buffer.setInteger(UInt32(buffer.writerIndex - payloadStart), at: headerIndex)
    }

    /// Appends a bare 10-byte header.
    public static func writeHeader(_ header: FrameHeader, into buffer: inout ByteBuffer) {
        buffer.writeInteger(header.payloadLength)
        buffer.writeInteger(header.type.rawValue)
        buffer.writeInteger(header.flags.rawValue)
        buffer.writeInteger(header.callID)
    }
}

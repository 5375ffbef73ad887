import NIOCore

/// Turns received bytes into the peer's preface and then frames, checking every declared
/// length against `WireLimits` before waiting for (and buffering) the payload.
///
/// Stateless beyond "has the preface arrived": call-level rules (call id reuse, frames for
/// unknown calls) belong to the connection state machine.
public struct FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WireEvent

    public let limits: WireLimits
    private var awaitingPreface: Bool

    /// - Parameter expectPreface: false only for tests that start in the middle of a connection.
    public init(limits: WireLimits = WireLimits(), expectPreface: Bool = true) {
        self.limits = limits
        self.awaitingPreface = expectPreface
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let event = try next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(event))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while let event = try next(from: &buffer) {
            context.fireChannelRead(wrapInboundOut(event))
        }
        if seenEOF, buffer.readableBytes > 0 {
            let bytes = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: bytes)
            throw ProtocolError(.truncatedFrame, "the connection ended inside a frame (\(bytes) bytes of it received)")
        }
        return .needMoreData
    }

    /// Consumes one preface or frame from `buffer`, or nothing if more bytes are needed.
    public mutating func next(from buffer: inout ByteBuffer) throws -> WireEvent? {
        if awaitingPreface {
            guard let version = try Self.readPreface(from: &buffer) else { return nil }
            awaitingPreface = false
            return .preface(version: version)
        }
        guard let frame = try readFrame(from: &buffer) else { return nil }
        return .frame(frame)
    }

    private static func readPreface(from buffer: inout ByteBuffer) throws -> UInt16? {
        // Compare the magic as far as it has arrived, so a wrong peer fails on its first bytes.
        let available = min(buffer.readableBytes, ConnectionPreface.magic.count)
        let received = buffer.getBytes(at: buffer.readerIndex, length: available) ?? []
        guard received.elementsEqual(ConnectionPreface.magic.prefix(available)) else {
            throw ProtocolError(.badPreface, "expected the preface 'PINGAN' + version, got \(Self.describe(received))")
        }
        guard buffer.readableBytes >= ConnectionPreface.size else { return nil }
        buffer.moveReaderIndex(forwardBy: ConnectionPreface.magic.count)
        let version = buffer.readInteger(as: UInt16.self)!
        guard version == ConnectionPreface.currentVersion else {
            throw ProtocolError(.unsupportedVersion, "protocol version \(version) is not supported; this side speaks version \(ConnectionPreface.currentVersion)")
        }
        return version
    }

    private func readFrame(from buffer: inout ByteBuffer) throws -> Frame? {
        guard buffer.readableBytes >= FrameHeader.size else { return nil }
        let start = buffer.readerIndex
        let length = Int(buffer.getInteger(at: start, as: UInt32.self)!)
        let rawType = buffer.getInteger(at: start + 4, as: UInt8.self)!
        let flags = FrameFlags(rawValue: buffer.getInteger(at: start + 5, as: UInt8.self)!)
        let callID = buffer.getInteger(at: start + 6, as: UInt32.self)!

        guard let type = FrameType(rawValue: rawType) else {
            throw ProtocolError(.unknownFrameType, "frame type 0x\(String(rawType, radix: 16)) is not defined")
        }
        let limit = type.payloadLimit(limits)
        guard length <= limit else {
            throw ProtocolError(.frameTooLarge, "\(type) frame of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        guard flags.isSubset(of: type.allowedFlags) else {
            throw ProtocolError(.invalidFlags, "\(type) frame carries undefined flags 0x\(String(flags.rawValue, radix: 16))")
        }
        guard type.isConnectionLevel == (callID == 0) else {
            throw ProtocolError(.invalidCallID, type.isConnectionLevel
                ? "\(type) frame must carry call id 0, got \(callID)"
                : "\(type) frame must carry a non-zero call id")
        }
        switch type {
        case .ping where length != 8:
            throw ProtocolError(.invalidPayload, "PING payload must be 8 bytes, got \(length)")
        case .cancel where length != 0, .close where length != 0:
            throw ProtocolError(.invalidPayload, "\(type) payload must be empty, got \(length) bytes")
        case .windowUpdate where length != 4:
            throw ProtocolError(.invalidPayload, "WINDOW_UPDATE payload must be 4 bytes, got \(length)")
        default:
            break
        }

        guard buffer.readableBytes >= FrameHeader.size + length else { return nil }
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        let payload = buffer.readSlice(length: length)!
        return Frame(type: type, flags: flags, callID: callID, payload: payload)
    }

    private static func describe(_ bytes: [UInt8]) -> String {
        if bytes.first == 0x16 { return "a TLS record (is the peer speaking TLS to a plaintext port?)" }
        if bytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x20 || $0 == 0x2F }) {
            return "'\(String(decoding: bytes, as: UTF8.self))'"
        }
        return bytes.map { String($0, radix: 16) }.joined(separator: " ").prefix(40).description
    }
}

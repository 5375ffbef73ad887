import NIOCore
import PinganWire

/// Byte builders for frames, valid and not, so tests state exactly what goes on the wire.
enum WireFixtures {
    static let preface: [UInt8] = Array("PINGAN".utf8) + [0x00, 0x01]

    static func frame(type: UInt8, flags: UInt8 = 0, callID: UInt32, payload: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(payload.count))
        buffer.writeInteger(type)
        buffer.writeInteger(flags)
        buffer.writeInteger(callID)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }

    static func headersPayload(_ headers: CallHeaders) -> [UInt8] {
        var buffer = ByteBuffer()
        headers.write(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Feeds `bytes` to a fresh decoder in two pieces split at `split`, collecting events
    /// until the first error.
    static func decode(_ bytes: [UInt8], split: Int, limits: WireLimits = WireLimits(), expectPreface: Bool = true)
        -> (events: [WireEvent], error: ProtocolError?)
    {
        var decoder = FrameDecoder(limits: limits, expectPreface: expectPreface)
        var events: [WireEvent] = []
        var buffer = ByteBuffer()
        for piece in [bytes[..<split], bytes[split...]] {
            buffer.writeBytes(piece)
            do {
                while let event = try decoder.next(from: &buffer) { events.append(event) }
            } catch let error as ProtocolError {
                return (events, error)
            } catch {
                Issue.record("unexpected error \(error)")
                return (events, nil)
            }
        }
        return (events, nil)
    }
}

import Testing

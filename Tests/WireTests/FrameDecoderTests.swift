import NIOCore
import NIOEmbedded
import NIOTestUtils
import PinganWire
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    static let headers = CallHeaders(
        method: "/pingan.health.v1.Health/Check", timeout: .milliseconds(1500),
        metadata: [MetadataEntry("request-id", "r-1"), MetadataEntry("traceparent", "00-abc-def-01")])

    static let validFrames: [Frame] = [
        Frame(type: .headers, callID: 1, payload: ByteBuffer(bytes: WireFixtures.headersPayload(headers))),
        Frame(type: .message, flags: .endStream, callID: 1, payload: ByteBuffer(bytes: [0x0A, 0x02, 0x68, 0x69])),
        Frame(type: .message, callID: 3, payload: ByteBuffer()),
        Frame(type: .status, callID: 1, payload: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0])),
        Frame(type: .cancel, callID: 7, payload: ByteBuffer()),
        Frame(type: .ping, callID: 0, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])),
        Frame(type: .ping, flags: .ack, callID: 0, payload: ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])),
        Frame(type: .goAway, callID: 0, payload: ByteBuffer(bytes: [0, 0, 0, 9, 0, 0, 0, 0, 0, 0])),
        Frame(type: .windowUpdate, callID: 5, payload: ByteBuffer(bytes: [0, 0, 0, 32])),
        Frame(type: .close, callID: 5, payload: ByteBuffer()),
    ]

    private static func encoded(_ frame: Frame) -> [UInt8] {
        var buffer = ByteBuffer()
        FrameEncoder.writeFrame(frame.type, flags: frame.flags, callID: frame.callID, payload: frame.payload, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("every valid frame round-trips, however the bytes are chunked")
    func roundTripsUnderEveryChunking() throws {
        // NIO's verifier feeds the input whole, byte by byte, and with reentrant reads; it
        // reuses one decoder across passes, so the preface is covered by the split test below.
        let pairs = Self.validFrames.map { frame in
            (ByteBuffer(bytes: Self.encoded(frame)), [WireEvent.frame(frame)])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs,
            decoderFactory: { FrameDecoder(expectPreface: false) })
    }

    @Test("a stream split at every byte boundary decodes to the same events")
    func splitAtEveryBoundary() {
        var bytes = WireFixtures.preface
        for frame in Self.validFrames { bytes += Self.encoded(frame) }
        let expected: [WireEvent] = [.preface(version: 1)] + Self.validFrames.map { .frame($0) }
        for split in 0...bytes.count {
            let (events, error) = WireFixtures.decode(bytes, split: split)
            #expect(error == nil, "split at \(split)")
            #expect(events == expected, "split at \(split)")
        }
    }

    /// One entry per class of malformed input: the bytes and the error they must produce.
    static let malformed: [(String, [UInt8], ProtocolError.Code)] = [
        ("bad preface magic", Array("PINGUIN!".utf8), .badPreface),
        ("TLS record to a plaintext decoder", [0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00], .badPreface),
        ("unsupported version", Array("PINGAN".utf8) + [0x00, 0x02], .unsupportedVersion),
        ("oversize length", WireFixtures.preface + [0x00, 0x40, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01], .frameTooLarge),
        ("oversize headers", WireFixtures.preface + [0x00, 0x00, 0x40, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01], .frameTooLarge),
        ("unknown frame type", WireFixtures.preface + WireFixtures.frame(type: 0x09, callID: 1, payload: []), .unknownFrameType),
        ("WINDOW_UPDATE of 3 bytes", WireFixtures.preface + WireFixtures.frame(type: 0x05, callID: 1, payload: [0, 0, 1]), .invalidPayload),
        ("CLOSE with a payload", WireFixtures.preface + WireFixtures.frame(type: 0x08, callID: 1, payload: [0]), .invalidPayload),
        ("WINDOW_UPDATE on call 0", WireFixtures.preface + WireFixtures.frame(type: 0x05, callID: 0, payload: [0, 0, 0, 1]), .invalidCallID),
        ("undefined flag", WireFixtures.preface + WireFixtures.frame(type: 0x02, flags: 0x02, callID: 1, payload: []), .invalidFlags),
        ("flag on STATUS", WireFixtures.preface + WireFixtures.frame(type: 0x03, flags: 0x01, callID: 1, payload: []), .invalidFlags),
        ("call frame with call id 0", WireFixtures.preface + WireFixtures.frame(type: 0x02, callID: 0, payload: []), .invalidCallID),
        ("PING with a call id", WireFixtures.preface + WireFixtures.frame(type: 0x06, callID: 5, payload: Array(repeating: 0, count: 8)), .invalidCallID),
        ("PING of 7 bytes", WireFixtures.preface + WireFixtures.frame(type: 0x06, callID: 0, payload: Array(repeating: 0, count: 7)), .invalidPayload),
        ("CANCEL with a payload", WireFixtures.preface + WireFixtures.frame(type: 0x04, callID: 1, payload: [1]), .invalidPayload),
    ]

    @Test("each malformed input is a specific protocol error, wherever the bytes are split",
          arguments: malformed.map(\.0))
    func rejectsMalformedInput(_ name: String) {
        let (_, bytes, code) = Self.malformed.first { $0.0 == name }!
        let limits = WireLimits(maximumPayloadSize: 1024 * 1024, maximumHeadersSize: 1024)
        for split in 0...bytes.count {
            let (events, error) = WireFixtures.decode(bytes, split: split, limits: limits)
            #expect(error?.code == code, "\(name), split at \(split): got \(String(describing: error))")
            #expect(events.allSatisfy { if case .preface = $0 { true } else { false } }, "\(name): no frame may come out")
        }
    }

    @Test("an oversize length fails on the header alone, before any payload is buffered")
    func oversizeFailsBeforeThePayloadArrives() {
        var decoder = FrameDecoder(limits: WireLimits(maximumPayloadSize: 100, maximumHeadersSize: 100), expectPreface: false)
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01])
        #expect(throws: ProtocolError(.frameTooLarge, "MESSAGE frame of 4294967295 bytes exceeds the limit of 100 bytes")) {
            try decoder.next(from: &buffer)
        }
    }

    @Test("a connection that ends mid-frame is reported as truncated")
    func truncatedAtEndOfStream() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var input = ByteBuffer(bytes: WireFixtures.preface + WireFixtures.frame(type: 0x02, callID: 1, payload: [1, 2, 3, 4]).dropLast(2))
        try channel.writeInbound(input)
        input.clear()
        #expect(try channel.readInbound(as: WireEvent.self) == .preface(version: 1))
        #expect(try channel.readInbound(as: WireEvent.self) == nil)
        #expect(throws: ProtocolError.self) { try channel.finish() }
    }
}

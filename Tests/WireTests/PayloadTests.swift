import NIOCore
import PinganWire
import Testing

@Suite("HEADERS, STATUS and GOAWAY payloads")
struct PayloadTests {
    static let headers = CallHeaders(
        method: "/pingan.registry.v1.Registry/GetVolunteer", timeout: .microseconds(2_500_001),
        metadata: [MetadataEntry("request-id", "req-42"), MetadataEntry("idempotency-key", "批次-7")])

    @Test func headersRoundTrip() throws {
        var buffer = ByteBuffer()
        Self.headers.write(into: &buffer)
        #expect(try CallHeaders.read(from: buffer) == Self.headers)
    }

    @Test("a timeout below a microsecond still travels as a deadline")
    func tinyTimeoutIsNotNoDeadline() throws {
        var buffer = ByteBuffer()
        CallHeaders(method: "/a.B/C", timeout: .nanoseconds(10)).write(into: &buffer)
        #expect(try CallHeaders.read(from: buffer).timeout == .microseconds(1))
    }

    @Test("headers cut at every byte are rejected as malformed, naming the field")
    func truncatedHeaders() throws {
        var buffer = ByteBuffer()
        Self.headers.write(into: &buffer)
        let bytes = Array(buffer.readableBytesView)
        for length in 0..<bytes.count {
            #expect(throws: ProtocolError.self) {
                try CallHeaders.read(from: ByteBuffer(bytes: bytes[..<length]))
            }
            do {
                _ = try CallHeaders.read(from: ByteBuffer(bytes: bytes[..<length]))
            } catch let error as ProtocolError {
                #expect(error.code == .malformedHeaders)
                #expect(error.message.hasPrefix("headers."), "\(error.message)")
            }
        }
    }

    @Test("trailing bytes after the metadata are rejected")
    func trailingBytes() {
        var buffer = ByteBuffer()
        Self.headers.write(into: &buffer)
        buffer.writeInteger(UInt8(0))
        #expect(throws: ProtocolError(.malformedHeaders, "headers: 1 unexpected bytes after the last field")) {
            try CallHeaders.read(from: buffer)
        }
    }

    @Test("a method that is not 1-1024 bytes of printable ASCII makes the frame malformed",
          arguments: ["", "/a.B/Ç", "/a.B/C\n", "/a.B/C\u{0}", "/" + String(repeating: "x", count: 1024)])
    func rejectsMethodName(_ method: String) {
        var buffer = ByteBuffer()
        CallHeaders(method: method).write(into: &buffer)
        #expect(throws: ProtocolError(.malformedHeaders, "headers.method: must be 1-1024 bytes of printable ASCII")) {
            try CallHeaders.read(from: buffer)
        }
    }

    @Test("a printable name not of the form /Service/Method is read, and is no method name (the call gets UNIMPLEMENTED)",
          arguments: ["/", "//", "/a.B", "/a.B/", "a.B/C", "/a.B/C/D", "/a B/C", "/a.B/C "])
    func readsButRefusesMethodName(_ method: String) throws {
        var buffer = ByteBuffer()
        CallHeaders(method: method).write(into: &buffer)
        #expect(try CallHeaders.read(from: buffer).method == method)
        #expect(!CallHeaders.isValidMethodName(method))
    }

    @Test("names of the form /Service/Method", arguments: ["/pingan.health.v1.Health/Check", "/Health/Check", "/a.B/C"])
    func validMethodNames(_ method: String) {
        #expect(CallHeaders.isValidMethodName(method))
    }

    @Test("a metadata key outside a-z 0-9 - _ . is rejected")
    func rejectsUpperCaseKey() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(6)); buffer.writeString("/a.B/C")
        buffer.writeInteger(UInt64(0))
        buffer.writeInteger(UInt16(1))
        buffer.writeInteger(UInt8(3)); buffer.writeString("Key")
        buffer.writeInteger(UInt16(1)); buffer.writeString("v")
        #expect(throws: ProtocolError(.malformedHeaders, "headers.metadata[0].key 'Key' must be 1-255 characters of a-z 0-9 - _ .")) {
            try CallHeaders.read(from: buffer)
        }
    }

    @Test("a metadata value that is not UTF-8 is rejected")
    func rejectsInvalidUTF8() {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt16(6)); buffer.writeString("/a.B/C")
        buffer.writeInteger(UInt64(0))
        buffer.writeInteger(UInt16(1))
        buffer.writeInteger(UInt8(1)); buffer.writeString("k")
        buffer.writeInteger(UInt16(2)); buffer.writeBytes([0xC3, 0x28])
        #expect(throws: ProtocolError(.malformedHeaders, "headers.metadata[0].value: not valid UTF-8")) {
            try CallHeaders.read(from: buffer)
        }
    }

    @Test func statusRoundTripsAndRejectsEveryTruncation() throws {
        let status = CallStatus(code: 3, message: "applicant.birthDate: age 66 is above 65", details: [0x12, 0x03, 0x41, 0x47, 0x45],
                                metadata: [MetadataEntry("retry-after", "5")])
        var buffer = ByteBuffer()
        status.write(into: &buffer)
        #expect(try CallStatus.read(from: buffer) == status)
        let bytes = Array(buffer.readableBytesView)
        for length in 0..<bytes.count {
            #expect(throws: ProtocolError.self) { try CallStatus.read(from: ByteBuffer(bytes: bytes[..<length])) }
        }
    }

    @Test func goAwayRoundTripsAndRejectsEveryTruncation() throws {
        let goAway = GoAway(lastCallID: 77, errorCode: .protocolError, message: "frame type 0x9 is not defined")
        var buffer = ByteBuffer()
        goAway.write(into: &buffer)
        #expect(try GoAway.read(from: buffer) == goAway)
        let bytes = Array(buffer.readableBytesView)
        for length in 0..<bytes.count {
            #expect(throws: ProtocolError.self) { try GoAway.read(from: ByteBuffer(bytes: bytes[..<length])) }
        }
    }

    @Test("the frame header is laid out as PROTOCOL.md draws it")
    func headerByteLayout() {
        var buffer = ByteBuffer()
        FrameEncoder.writeFrame(.message, flags: .endStream, callID: 0x0102_0304, payload: ByteBuffer(bytes: [0xAA, 0xBB]), into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 2, 0x02, 0x01, 0x01, 0x02, 0x03, 0x04, 0xAA, 0xBB])
        var preface = ByteBuffer()
        FrameEncoder.writePreface(into: &preface)
        #expect(Array(preface.readableBytesView) == [0x50, 0x49, 0x4E, 0x47, 0x41, 0x4E, 0x00, 0x01])
    }

    @Test("the worked example in PROTOCOL.md section 10 is what the encoder produces")
    func protocolDocumentExample() {
        var buffer = ByteBuffer()
        let headers = CallHeaders(method: "/pingan.health.v1.Health/Check", timeout: .seconds(5), metadata: [MetadataEntry("request-id", "py-001")])
        FrameEncoder.writeFrame(.headers, callID: 1, into: &buffer) { headers.write(into: &$0) }
        FrameEncoder.writeFrame(.message, flags: .endStream, callID: 1, payload: ByteBuffer(), into: &buffer)
        var expected: [UInt8] = [0x00, 0x00, 0x00, 0x3D, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x1E]
        expected += Array("/pingan.health.v1.Health/Check".utf8)
        expected += [0x00, 0x00, 0x00, 0x00, 0x00, 0x4C, 0x4B, 0x40, 0x00, 0x01, 0x0A] + Array("request-id".utf8)
        expected += [0x00, 0x06] + Array("py-001".utf8)
        expected += [0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01]
        #expect(Array(buffer.readableBytesView) == expected)

        var status = ByteBuffer()
        FrameEncoder.writeFrame(.status, callID: 1, into: &status) { CallStatus(code: 0).write(into: &$0) }
        #expect(Array(status.readableBytesView) == [0, 0, 0, 9, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }
}

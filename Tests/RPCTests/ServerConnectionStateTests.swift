import NIOCore
import PinganRPC
import PinganWire
import Testing

@Suite("Server connection state")
struct ServerConnectionStateTests {
    static func headersFrame(_ callID: UInt32, method: String = "/pingan.health.v1.Health/Check", endStream: Bool = false) -> WireEvent {
        var payload = ByteBuffer()
        CallHeaders(method: method, metadata: [MetadataEntry("request-id", "r\(callID)")]).write(into: &payload)
        return .frame(Frame(type: .headers, flags: endStream ? .endStream : [], callID: callID, payload: payload))
    }

    static func message(_ callID: UInt32, endStream: Bool = true) -> WireEvent {
        .frame(Frame(type: .message, flags: endStream ? .endStream : [], callID: callID, payload: ByteBuffer(bytes: [1])))
    }

    @Test func opensAndReceivesAUnaryCall() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        #expect(state.received(.preface(version: 1)) == .none)
        guard case .openCall(1, let headers, false) = state.received(Self.headersFrame(1)) else {
            Issue.record("expected openCall"); return
        }
        #expect(headers.method == "/pingan.health.v1.Health/Check")
        #expect(state.received(Self.message(1)) == .receiveMessage(callID: 1, payload: ByteBuffer(bytes: [1]), endStream: true))
        #expect(state.openCallCount == 1)
        state.callFinished(1)
        #expect(state.openCallCount == 0)
    }

    @Test("reusing a call id, or going below the last one, is a protocol error", arguments: [UInt32(5), 4, 1])
    func rejectsCallIDReuse(_ reused: UInt32) {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(5))
        guard case .closeWithError(let error) = state.received(Self.headersFrame(reused)) else {
            Issue.record("expected a protocol error"); return
        }
        #expect(error.code == .callIDReused)
        #expect(error.message == "call id \(reused) is not above the last one used on this connection (5)")
        // Nothing after the failure is acted on.
        #expect(state.received(Self.headersFrame(9)) == .none)
    }

    @Test func messageForACallNeverOpenedIsAProtocolError() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        guard case .closeWithError(let error) = state.received(Self.message(3)) else { Issue.record("expected error"); return }
        #expect(error.code == .unexpectedFrame)
    }

    @Test func messageAfterEndStreamIsAProtocolError() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(1))
        _ = state.received(Self.message(1))
        guard case .closeWithError(let error) = state.received(Self.message(1)) else { Issue.record("expected error"); return }
        #expect(error.message == "MESSAGE on call 1 after its END_STREAM")
    }

    @Test("frames for a call that already ended crossed its STATUS and are ignored")
    func lateFramesAreIgnored() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(1))
        state.callFinished(1)
        #expect(state.received(Self.message(1)) == .none)
        #expect(state.received(.frame(Frame(type: .cancel, callID: 1, payload: ByteBuffer()))) == .none)
    }

    @Test func callsBeyondTheLimitAreRefusedWithResourceExhausted() {
        var state = ServerConnectionState(maximumConcurrentCalls: 2)
        _ = state.received(Self.headersFrame(1))
        _ = state.received(Self.headersFrame(2))
        guard case .rejectCall(3, let status) = state.received(Self.headersFrame(3)) else { Issue.record("expected reject"); return }
        #expect(status.code == RPCError.Code.resourceExhausted.rawValue)
        #expect(status.message == "connection already has 2 calls in flight, the limit")
        // The refused call counts as used: its id cannot be reused.
        state.callFinished(1)
        guard case .closeWithError = state.received(Self.headersFrame(3)) else { Issue.record("expected error"); return }
    }

    @Test func cancelEndsAnOpenCall() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(1))
        #expect(state.received(.frame(Frame(type: .cancel, callID: 1, payload: ByteBuffer()))) == .cancelCall(callID: 1))
        #expect(state.openCallCount == 0)
    }

    @Test func pingsAreAnsweredAndAcksIgnored() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        let payload = ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(state.received(.frame(Frame(type: .ping, callID: 0, payload: payload))) == .answerPing(payload: payload))
        #expect(state.received(.frame(Frame(type: .ping, flags: .ack, callID: 0, payload: payload))) == .none)
    }

    @Test func clientsMustNotSendStatus() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        guard case .closeWithError(let error) = state.received(.frame(Frame(type: .status, callID: 1, payload: ByteBuffer()))) else {
            Issue.record("expected error"); return
        }
        #expect(error.code == .unexpectedFrame)
    }

    @Test func malformedHeadersCloseTheConnection() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        let frame = Frame(type: .headers, callID: 1, payload: ByteBuffer(bytes: [0x00, 0x05, 0x2F]))
        guard case .closeWithError(let error) = state.received(.frame(frame)) else { Issue.record("expected error"); return }
        #expect(error.code == .malformedHeaders)
        #expect(error.message == "headers.method: declared 5 bytes, 1 left in the payload")
    }

    @Test func goAwayFromTheClientIsReported() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        var payload = ByteBuffer()
        GoAway(lastCallID: 0, errorCode: .noError, message: "bye").write(into: &payload)
        #expect(state.received(.frame(Frame(type: .goAway, callID: 0, payload: payload)))
            == .peerGoingAway(GoAway(lastCallID: 0, errorCode: .noError, message: "bye")))
    }

    @Test("after a graceful GOAWAY, open calls go on and new ones are refused as not processed")
    func gracefulShutdown() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(1))
        let goAway = state.beginShutdown(reason: "server shutting down")
        #expect(goAway == GoAway(lastCallID: 1, errorCode: .noError, message: "server shutting down"))
        #expect(state.beginShutdown(reason: "again") == nil)
        #expect(state.received(Self.message(1)) == .receiveMessage(callID: 1, payload: ByteBuffer(bytes: [1]), endStream: true))
        guard case .rejectCall(2, let status) = state.received(Self.headersFrame(2)) else { Issue.record("expected refusal"); return }
        #expect(status.code == RPCError.Code.unavailable.rawValue)
        #expect(status.message == "the server is shutting down; call 2 was not processed")
        #expect(status.rpcError.wasNotProcessed, "the details say NOT_PROCESSED, so a client retries it elsewhere")
    }

    @Test("after the client's GOAWAY, open calls go on and a new HEADERS is a protocol error")
    func clientGoAway() {
        var state = ServerConnectionState(maximumConcurrentCalls: 8)
        _ = state.received(Self.headersFrame(1))
        var payload = ByteBuffer()
        GoAway(lastCallID: 0, errorCode: .noError, message: "done").write(into: &payload)
        guard case .peerGoingAway = state.received(.frame(Frame(type: .goAway, flags: [], callID: 0, payload: payload))) else {
            Issue.record("expected the peer's GOAWAY"); return
        }
        #expect(state.received(Self.message(1)) == .receiveMessage(callID: 1, payload: ByteBuffer(bytes: [1]), endStream: true))
        guard case .closeWithError(let error) = state.received(Self.headersFrame(2)) else { Issue.record("expected a protocol error"); return }
        #expect(error.message == "HEADERS for call 2 after the client's GOAWAY")
    }
}

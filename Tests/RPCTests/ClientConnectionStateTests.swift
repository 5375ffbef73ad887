import NIOCore
import PinganRPC
import PinganWire
import Testing

@Suite("Client connection state")
struct ClientConnectionStateTests {
    static func status(_ callID: UInt32, code: UInt8 = 0) -> WireEvent {
        var payload = ByteBuffer()
        CallStatus(code: code, message: code == 0 ? "" : "failed").write(into: &payload)
        return .frame(Frame(type: .status, callID: callID, payload: payload))
    }

    @Test func callIDsStrictlyIncrease() {
        var state = ClientConnectionState()
        #expect(state.openCall() == 1)
        #expect(state.openCall() == 2)
        #expect(state.openCall() == 3)
        #expect(state.inFlightCount == 3)
    }

    @Test func deliversMessagesAndFinishesCalls() {
        var state = ClientConnectionState()
        let id = state.openCall()!
        let payload = ByteBuffer(bytes: [9])
        #expect(state.received(.frame(Frame(type: .message, callID: id, payload: payload))) == .deliverMessage(callID: id, payload: payload))
        #expect(state.received(Self.status(id)) == .finishCall(callID: id, status: CallStatus(code: 0)))
        #expect(state.inFlightCount == 0)
    }

    @Test("answers for calls abandoned here are ignored")
    func abandonedCallsIgnoreLateAnswers() {
        var state = ClientConnectionState()
        let id = state.openCall()!
        state.callAbandoned(id)
        #expect(state.received(Self.status(id)) == .none)
    }

    @Test("answers for calls never opened are protocol errors")
    func unsolicitedAnswersAreProtocolErrors() {
        var state = ClientConnectionState()
        _ = state.openCall()
        guard case .closeWithError(let error) = state.received(Self.status(7)) else { Issue.record("expected error"); return }
        #expect(error.code == .unexpectedFrame)
        #expect(state.openCall() == nil)
    }

    @Test func serversMustNotSendHeaders() {
        var state = ClientConnectionState()
        guard case .closeWithError(let error) = state.received(.frame(Frame(type: .headers, callID: 1, payload: ByteBuffer()))) else {
            Issue.record("expected error"); return
        }
        #expect(error.message == "a server must not send HEADERS frames")
    }

    @Test func goAwayStopsNewCalls() {
        var state = ClientConnectionState()
        _ = state.openCall()
        var payload = ByteBuffer()
        GoAway(lastCallID: 1, errorCode: .noError, message: "shutting down").write(into: &payload)
        #expect(state.received(.frame(Frame(type: .goAway, callID: 0, payload: payload)))
            == .goAway(GoAway(lastCallID: 1, errorCode: .noError, message: "shutting down")))
        #expect(state.openCall() == nil)
        #expect(state.isGoingAway)
    }

    @Test func malformedStatusIsAProtocolError() {
        var state = ClientConnectionState()
        let id = state.openCall()!
        guard case .closeWithError(let error) = state.received(.frame(Frame(type: .status, callID: id, payload: ByteBuffer(bytes: [0])))) else {
            Issue.record("expected error"); return
        }
        #expect(error.code == .malformedStatus)
    }
}

import NIOCore
import PinganWire

/// The server's view of one connection, as a value: it takes what the decoder produced and
/// says what to do. The NIO handler only carries the actions out.
///
/// Rules it enforces: call ids strictly increase (a reused or lower id is a protocol error);
/// frames for calls that already ended are ignored (they crossed a STATUS or CANCEL on the
/// wire); a client sends nothing after END_STREAM; clients never send STATUS.
public struct ServerConnectionState {
    public enum Action: Equatable {
        case none
        /// A new call: look up the method and prepare to receive its request.
        case openCall(callID: UInt32, headers: CallHeaders, endStream: Bool)
        /// A request message for an open call.
        case receiveMessage(callID: UInt32, payload: ByteBuffer, endStream: Bool)
        /// The client sent CLOSE: no more request messages.
        case receiveEnd(callID: UInt32)
        /// The client may be sent `increment` more messages on the call.
        case windowUpdate(callID: UInt32, increment: Int)
        /// Answer the call with this status and nothing else (it was never opened).
        case rejectCall(callID: UInt32, status: CallStatus)
        /// The client gave up: cancel the call's work, send nothing more for it.
        case cancelCall(callID: UInt32)
        case answerPing(payload: ByteBuffer)
        /// The client will send no more calls; close once the open ones finish.
        case peerGoingAway(GoAway)
        /// Send GOAWAY with this error and close the connection.
        case closeWithError(ProtocolError)
    }

    private enum CallPhase {
        /// The client may still send messages, `credit` more before it needs a WINDOW_UPDATE.
        case receiving(credit: Int)
        /// The client sent END_STREAM; the server is working on the answer.
        case halfClosed
    }

    /// The highest call id the client has used; reported in GOAWAY.
    public private(set) var lastCallID: UInt32 = 0
    public let maximumConcurrentCalls: Int
    private var calls: [UInt32: CallPhase] = [:]
    private var failed = false
    /// Set once this side has sent GOAWAY: calls opened after it are refused.
    public private(set) var isShuttingDown = false
    /// Set once the client has sent GOAWAY: it promised to open no more calls.
    public private(set) var peerIsGoingAway = false

    public init(maximumConcurrentCalls: Int) {
        self.maximumConcurrentCalls = maximumConcurrentCalls
    }

    /// Calls opened and not yet finished.
    public var openCallCount: Int { calls.count }

    public mutating func received(_ event: WireEvent) -> Action {
        guard !failed else { return .none }
        switch event {
        case .preface:
            return .none  // the decoder has already checked magic and version
        case .frame(let frame):
            let action = received(frame)
            if case .closeWithError = action { failed = true }
            return action
        }
    }

    /// Starts a graceful shutdown: the GOAWAY to send. Calls already opened may finish; later
    /// ones are refused with UNAVAILABLE (the client may retry them elsewhere).
    public mutating func beginShutdown(reason: String) -> GoAway? {
        guard !isShuttingDown, !failed else { return nil }
        isShuttingDown = true
        return GoAway(lastCallID: lastCallID, errorCode: .noError, message: reason)
    }

    /// Records that the server sent the call's STATUS (or gave up on it).
    public mutating func callFinished(_ callID: UInt32) {
        calls[callID] = nil
    }

    /// Records a decoding failure, so nothing after it is acted on.
    public mutating func failed(with error: ProtocolError) -> Action {
        guard !failed else { return .none }
        failed = true
        return .closeWithError(error)
    }

    private mutating func received(_ frame: Frame) -> Action {
        switch frame.type {
        case .headers:
            return openCall(frame)
        case .message:
            return receiveMessage(frame)
        case .close:
            return receiveClose(frame)
        case .windowUpdate:
            return receiveWindowUpdate(frame)
        case .cancel:
            guard calls.removeValue(forKey: frame.callID) != nil else { return .none }
            return .cancelCall(callID: frame.callID)
        case .ping:
            return frame.flags.contains(.ack) ? .none : .answerPing(payload: frame.payload)
        case .goAway:
            do {
                let goAway = try GoAway.read(from: frame.payload)
                peerIsGoingAway = true
                return .peerGoingAway(goAway)
            } catch let error as ProtocolError {
                return .closeWithError(error)
            } catch {
                return .closeWithError(ProtocolError(.malformedGoAway, "\(error)"))
            }
        case .status:
            return .closeWithError(ProtocolError(.unexpectedFrame, "a client must not send STATUS frames (call \(frame.callID))"))
        }
    }

    private mutating func openCall(_ frame: Frame) -> Action {
        guard !peerIsGoingAway else {
            return .closeWithError(ProtocolError(.unexpectedFrame, "HEADERS for call \(frame.callID) after the client's GOAWAY"))
        }
        guard frame.callID > lastCallID else {
            return .closeWithError(ProtocolError(.callIDReused,
                "call id \(frame.callID) is not above the last one used on this connection (\(lastCallID))"))
        }
        let headers: CallHeaders
        do {
            headers = try CallHeaders.read(from: frame.payload)
        } catch let error as ProtocolError {
            return .closeWithError(error)
        } catch {
            return .closeWithError(ProtocolError(.malformedHeaders, "\(error)"))
        }
        lastCallID = frame.callID
        guard !isShuttingDown else {
            let status = CallStatus(RPCError.notProcessed("the server is shutting down; call \(frame.callID) was not processed"))
            return .rejectCall(callID: frame.callID, status: status)
        }
        guard calls.count < maximumConcurrentCalls else {
            let status = CallStatus(code: RPCError.Code.resourceExhausted.rawValue,
                                    message: "connection already has \(maximumConcurrentCalls) calls in flight, the limit")
            return .rejectCall(callID: frame.callID, status: status)
        }
        let endStream = frame.flags.contains(.endStream)
        calls[frame.callID] = endStream ? .halfClosed : .receiving(credit: FlowControl.initialWindow)
        return .openCall(callID: frame.callID, headers: headers, endStream: endStream)
    }

    private mutating func receiveMessage(_ frame: Frame) -> Action {
        switch calls[frame.callID] {
        case .receiving(let credit):
            guard credit > 0 else {
                return .closeWithError(ProtocolError(.flowControl, "call \(frame.callID) sent a message beyond the credit it was granted"))
            }
            let endStream = frame.flags.contains(.endStream)
            calls[frame.callID] = endStream ? .halfClosed : .receiving(credit: credit - 1)
            return .receiveMessage(callID: frame.callID, payload: frame.payload, endStream: endStream)
        case .halfClosed:
            return .closeWithError(ProtocolError(.unexpectedFrame, "MESSAGE on call \(frame.callID) after its END_STREAM"))
        case nil:
            return endedOrUnknown(frame)
        }
    }

    private mutating func receiveClose(_ frame: Frame) -> Action {
        switch calls[frame.callID] {
        case .receiving:
            calls[frame.callID] = .halfClosed
            return .receiveEnd(callID: frame.callID)
        case .halfClosed:
            return .closeWithError(ProtocolError(.unexpectedFrame, "CLOSE on call \(frame.callID) after its END_STREAM"))
        case nil:
            return endedOrUnknown(frame)
        }
    }

    private func receiveWindowUpdate(_ frame: Frame) -> Action {
        let increment = Int(frame.payload.getInteger(at: frame.payload.readerIndex, as: UInt32.self) ?? 0)
        guard increment > 0 else {
            return .closeWithError(ProtocolError(.flowControl, "WINDOW_UPDATE on call \(frame.callID) grants no credit"))
        }
        guard calls[frame.callID] != nil else { return endedOrUnknown(frame) }
        return .windowUpdate(callID: frame.callID, increment: increment)
    }

    /// Frames for calls that already ended crossed their STATUS on the wire; frames for calls
    /// never opened are errors.
    private func endedOrUnknown(_ frame: Frame) -> Action {
        frame.callID <= lastCallID
            ? .none
            : .closeWithError(ProtocolError(.unexpectedFrame, "\(frame.type) for call \(frame.callID), which was never opened"))
    }

    /// Grants the client `count` more messages on a call it is still sending on; the caller
    /// sends the matching WINDOW_UPDATE.
    public mutating func grantCredit(_ count: Int, callID: UInt32) {
        if case .receiving(let credit) = calls[callID] {
            calls[callID] = .receiving(credit: credit + count)
        }
    }
}

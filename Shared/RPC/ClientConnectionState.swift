import NIOCore
import PinganWire

/// The client's view of one connection, as a value: it hands out call ids and checks what the
/// server sends against the calls in flight.
public struct ClientConnectionState {
    public enum Action: Equatable {
        case none
        /// A response message for a call in flight.
        case deliverMessage(callID: UInt32, payload: ByteBuffer)
        /// The call's final status; the call is over.
        case finishCall(callID: UInt32, status: CallStatus)
        case answerPing(payload: ByteBuffer)
        /// The server may be sent `increment` more messages on the call.
        case windowUpdate(callID: UInt32, increment: Int)
        /// The server answered one of our PINGs.
        case pingAcknowledged(payload: ByteBuffer)
        /// The server accepts no new calls; calls above `lastCallID` were not processed.
        case goAway(GoAway)
        /// Send GOAWAY with this error and close the connection.
        case closeWithError(ProtocolError)
    }

    private var nextCallID: UInt32 = 1
    /// Calls in flight and the credit the server has left on each.
    private var inFlight: [UInt32: Int] = [:]
    private var failed = false
    /// Set once the server has said GOAWAY: no new calls on this connection.
    public private(set) var isGoingAway = false

    public init() {}

    public var inFlightCount: Int { inFlight.count }

    /// A fresh call id, or nil if this connection takes no new calls.
    public mutating func openCall() -> UInt32? {
        guard !isGoingAway, !failed, nextCallID < UInt32.max else { return nil }
        let id = nextCallID
        nextCallID += 1
        inFlight[id] = FlowControl.initialWindow
        return id
    }

    /// Forgets a call this side ended (deadline, cancellation); late frames for it are ignored.
    public mutating func callAbandoned(_ callID: UInt32) {
        inFlight[callID] = nil
    }

    /// Grants the server `count` more messages on a call; the caller sends the WINDOW_UPDATE.
    public mutating func grantCredit(_ count: Int, callID: UInt32) {
        inFlight[callID]? += count
    }

    public mutating func failed(with error: ProtocolError) -> Action {
        guard !failed else { return .none }
        failed = true
        return .closeWithError(error)
    }

    public mutating func received(_ event: WireEvent) -> Action {
        guard !failed else { return .none }
        guard case .frame(let frame) = event else { return .none }
        let action = received(frame)
        if case .closeWithError = action { failed = true }
        return action
    }

    private mutating func received(_ frame: Frame) -> Action {
        switch frame.type {
        case .message:
            guard let credit = inFlight[frame.callID] else { return unknownCall(frame) }
            guard credit > 0 else {
                return .closeWithError(ProtocolError(.flowControl, "call \(frame.callID) got a message beyond the credit granted"))
            }
            inFlight[frame.callID] = credit - 1
            return .deliverMessage(callID: frame.callID, payload: frame.payload)
        case .windowUpdate:
            guard inFlight[frame.callID] != nil else { return unknownCall(frame) }
            let increment = Int(frame.payload.getInteger(at: frame.payload.readerIndex, as: UInt32.self) ?? 0)
            guard increment > 0 else {
                return .closeWithError(ProtocolError(.flowControl, "WINDOW_UPDATE on call \(frame.callID) grants no credit"))
            }
            return .windowUpdate(callID: frame.callID, increment: increment)
        case .status:
            guard inFlight[frame.callID] != nil else { return unknownCall(frame) }
            do {
                let status = try CallStatus.read(from: frame.payload)
                inFlight[frame.callID] = nil
                return .finishCall(callID: frame.callID, status: status)
            } catch let error as ProtocolError {
                return .closeWithError(error)
            } catch {
                return .closeWithError(ProtocolError(.malformedStatus, "\(error)"))
            }
        case .ping:
            return frame.flags.contains(.ack) ? .pingAcknowledged(payload: frame.payload) : .answerPing(payload: frame.payload)
        case .goAway:
            do {
                let goAway = try GoAway.read(from: frame.payload)
                isGoingAway = true
                return .goAway(goAway)
            } catch let error as ProtocolError {
                return .closeWithError(error)
            } catch {
                return .closeWithError(ProtocolError(.malformedGoAway, "\(error)"))
            }
        case .headers, .cancel, .close:
            return .closeWithError(ProtocolError(.unexpectedFrame, "a server must not send \(frame.type) frames"))
        }
    }

    private func unknownCall(_ frame: Frame) -> Action {
        // Ids below nextCallID were ours: the call was abandoned here and the answer crossed.
        frame.callID < nextCallID
            ? .none
            : .closeWithError(ProtocolError(.unexpectedFrame, "\(frame.type) for call \(frame.callID), which was never opened"))
    }
}

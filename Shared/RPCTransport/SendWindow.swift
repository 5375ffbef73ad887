import NIOCore
import PinganRPC
import PinganWire

/// The sending half of a call's flow control: the credit the peer has granted, and at most one
/// writer parked (with its message) until more arrives. Used by both ends of a stream.
struct SendWindow {
    private(set) var credit = FlowControl.initialWindow
    private var parked: (payload: ByteBuffer, continuation: CheckedContinuation<Void, any Error>)?

    /// True if the message may go now (one credit is used); otherwise the writer is parked.
    mutating func offer(_ payload: ByteBuffer, _ continuation: CheckedContinuation<Void, any Error>) -> Bool {
        guard credit > 0 else {
            parked = (payload, continuation)
            return false
        }
        credit -= 1
        return true
    }

    /// Adds credit; returns the parked message that may now go, with the writer to resume once
    /// it is written.
    mutating func grant(_ increment: Int) -> (payload: ByteBuffer, continuation: CheckedContinuation<Void, any Error>)? {
        credit += increment
        guard let waiting = parked, credit > 0 else { return nil }
        parked = nil
        credit -= 1
        return waiting
    }

    /// Wakes a parked writer with `error`.
    mutating func fail(_ error: any Error) {
        parked?.continuation.resume(throwing: error)
        parked = nil
    }
}

import NIOCore
import PinganRPC
import PinganWire

/// The sending half of a call's flow control: the credit the peer has granted, and at most one
/// writer parked (with the messages it still has to send) until more arrives. Used by both ends
/// of a stream; a writer may offer many messages at once, which go as credit allows.
struct SendWindow {
    private(set) var credit = FlowControl.initialWindow
    private var parked: (payloads: ArraySlice<ByteBuffer>, continuation: CheckedContinuation<Void, any Error>)?

    /// The messages that may go now (one credit each) and whether that is all of them; the
    /// rest wait with the writer, who is resumed by `grant` once they have gone.
    mutating func offer(_ payloads: [ByteBuffer], _ continuation: CheckedContinuation<Void, any Error>) -> (send: ArraySlice<ByteBuffer>, done: Bool) {
        let now = min(credit, payloads.count)
        credit -= now
        guard now < payloads.count else { return (payloads[...], true) }
        parked = (payloads[now...], continuation)
        return (payloads[..<now], false)
    }

    /// Adds credit; returns the parked messages that may now go, and the writer to resume once
    /// they are written when none is left waiting.
    mutating func grant(_ increment: Int) -> (send: ArraySlice<ByteBuffer>, resume: CheckedContinuation<Void, any Error>?) {
        credit += increment
        guard let waiting = parked, credit > 0 else { return ([], nil) }
        let now = min(credit, waiting.payloads.count)
        credit -= now
        let rest = waiting.payloads.dropFirst(now)
        parked = rest.isEmpty ? nil : (rest, waiting.continuation)
        return (waiting.payloads.prefix(now), rest.isEmpty ? waiting.continuation : nil)
    }

    /// Wakes a parked writer with `error`, made only if a writer is parked (every call ends
    /// through here, and most never parked one).
    mutating func fail(_ error: @autoclosure () -> any Error) {
        parked?.continuation.resume(throwing: error())
        parked = nil
    }
}

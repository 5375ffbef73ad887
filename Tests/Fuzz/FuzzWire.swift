// libFuzzer entry point: feeds arbitrary bytes to the frame decoder and both connection state
// machines, as a server and a client would see them. Any crash, sanitizer report or failed
// precondition is a finding. Built by build.sh, not by SwiftPM (see README.md).
import NIOCore
import PinganRPC
import PinganWire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The first byte picks where the input is split, so partial reads are explored too.
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    var decoder = FrameDecoder(limits: WireLimits(maximumPayloadSize: 64 * 1024, maximumHeadersSize: 4 * 1024))
    var server = ServerConnectionState(maximumConcurrentCalls: 8)
    var client = ClientConnectionState()
    for _ in 0..<4 { _ = client.openCall() }

    var buffer = ByteBuffer()
    for piece in [bytes[..<split], bytes[split...]] {
        buffer.writeBytes(UnsafeBufferPointer(rebasing: piece))
        do {
            while let event = try decoder.next(from: &buffer) {
                checkRoundTrip(event)
                switch server.received(event) {
                case .openCall(let callID, _, _), .receiveMessage(let callID, _, true):
                    server.callFinished(callID)
                case .closeWithError:
                    return 0
                default:
                    break
                }
                _ = client.received(event)
            }
        } catch is ProtocolError {
            return 0  // the expected outcome for malformed input
        } catch {
            preconditionFailure("the decoder threw something other than a ProtocolError: \(error)")
        }
    }
    return 0
}

/// A frame that decoded must encode to bytes that decode to the same frame.
private func checkRoundTrip(_ event: WireEvent) {
    guard case .frame(let frame) = event else { return }
    var encoded = ByteBuffer()
    FrameEncoder.writeFrame(frame.type, flags: frame.flags, callID: frame.callID, payload: frame.payload, into: &encoded)
    var decoder = FrameDecoder(expectPreface: false)
    let again = try? decoder.next(from: &encoded)
    precondition(again == .frame(frame), "frame did not survive a round trip: \(frame)")
}

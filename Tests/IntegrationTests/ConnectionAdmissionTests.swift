@testable import PinganRPCTransport
import Testing

@Suite("Connection admission: handshakes bounded apart from completed connections, the oldest making room")
struct ConnectionAdmissionTests {
    final class Connection {}

    @Test("a handshake past the address's limit, then past the total, evicts the oldest of that address, then of all")
    func eviction() {
        let c = (0..<6).map { _ in Connection() }
        let id = c.map(ObjectIdentifier.init)
        var admission = ConnectionAdmission(maximumEstablished: 1, maximumHandshakes: 3, maximumHandshakesPerAddress: 2)
        #expect(admission.accepted(id[0], from: "a").isEmpty)
        #expect(admission.accepted(id[1], from: "a").isEmpty)
        #expect(admission.accepted(id[2], from: "a") == [id[0]], "a's oldest makes room for a's newest")
        #expect(admission.accepted(id[3], from: "b").isEmpty)
        #expect(admission.accepted(id[4], from: "c") == [id[1]], "three under way: the oldest of all goes")
        #expect(admission.handshakes == 3)
        #expect(admission.handshakeCompleted(id[0]) == .established(limit: 1), "an evicted handshake is not established")
        admission.closed(id[0])
        #expect(admission.handshakes == 3, "closing an evicted connection frees nothing twice")
    }

    @Test("completed connections have their own limit; closing frees the right slot")
    func established() {
        let c = (0..<3).map { _ in Connection() }
        let id = c.map(ObjectIdentifier.init)
        var admission = ConnectionAdmission(maximumEstablished: 1, maximumHandshakes: 8, maximumHandshakesPerAddress: 8)
        _ = admission.accepted(id[0], from: "a")
        _ = admission.accepted(id[1], from: "a")
        #expect(admission.handshakeCompleted(id[0]) == nil)
        #expect(admission.handshakeCompleted(id[1]) == .established(limit: 1))
        #expect(admission.established == 1 && admission.handshakes == 0)
        admission.closed(id[1])
        admission.closed(id[0])
        #expect(admission.established == 0)
        _ = admission.accepted(id[2], from: "a")
        #expect(admission.handshakeCompleted(id[2]) == nil)
    }
}

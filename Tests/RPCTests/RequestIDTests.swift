import PinganRPC
import Testing

@Suite("Request ids")
struct RequestIDTests {
    @Test("16 lowercase hex digits, none repeated over many calls")
    func distinctHexDigits() {
        let ids = (0..<50_000).map { _ in RequestID.make() }
        #expect(ids.allSatisfy { $0.utf8.count == 16 && $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
        #expect(Set(ids).count == ids.count)
        // Consecutive ids share no visible pattern: not a counter in disguise.
        let differingDigits = zip(ids[0].utf8, ids[1].utf8).filter { $0 != $1 }.count
        #expect(differingDigits > 4)
    }
}

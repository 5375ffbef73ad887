import Foundation
import PinganStore
import Testing

@Suite("Stored timestamps")
struct TimestampTests {
    @Test("RFC 3339 in UTC to the second, as Foundation's ISO 8601 style writes it, across leap years and centuries")
    func sameAsFoundation() {
        var generator = SystemRandomNumberGenerator()
        let edges = [0, 951_782_400, 951_868_799, 951_868_800, 1_272_672_000, 4_102_444_799, 4_102_444_800, 253_402_300_799]
        for seconds in edges + (0..<5_000).map({ _ in Int.random(in: 0...4_200_000_000, using: &generator) }) {
            let expected = Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
            #expect(ServiceDatabase.timestamp(secondsSince1970: seconds) == expected, "\(seconds)")
        }
        #expect(ServiceDatabase.timestamp(secondsSince1970: 1_272_703_800) == "2010-05-01T08:50:00Z")
    }
}

import PinganCampaign
@testable import Registry
import Testing

/// An auditor's attack, as a test: from what a masked answer holds - the masked number and the
/// birth year (the old answer: the birth date) - and the district everyone in the town shares,
/// how many resident IDs fit?
@Suite("A masked answer does not give the ID number away")
struct ReidentificationTests {
    /// Every ID of `district` born on one of `days` that `mask` fits, check digit included.
    static func candidates(mask: String, district: String, days: [CalendarDay]) -> Int {
        let shown = Array(mask)
        // Only sequences the mask's visible digits allow (its 15th-17th characters).
        let sequences = (0..<1000).filter { sequence in
            zip(shown[14..<17], Array(String(format: "%03d", sequence))).allSatisfy { $0 == "*" || $0 == $1 }
        }
        var count = 0
        for day in days {
            let birth = String(format: "%04d%02d%02d", day.year, day.month, day.day)
            for sequence in sequences {
                let body = district + birth + String(format: "%03d", sequence)
                let id = Array(body + String(ResidentID.checkCharacter(for: body.compactMap(\.wholeNumberValue))))
                if zip(shown, id).allSatisfy({ $0 == "*" || $0 == $1 }) { count += 1 }
            }
        }
        return count
    }

    static func days(of year: Int) -> [CalendarDay] {
        Array(sequence(first: CalendarDay(year: year, month: 1, day: 1)!) { $0.next }.prefix { $0.year == year })
    }

    @Test("with the district and the birth year known, more than a thousand IDs fit each masked answer; the old answer fit one",
          arguments: ["310115198005170017", "310115196312304020", "310115200101011235"])
    func manyCandidates(_ idNumber: String) throws {
        let id = try ResidentID(idNumber)
        let district = String(idNumber.prefix(6))
        let now = Self.candidates(mask: id.masked, district: district, days: Self.days(of: id.birthDate.year))
        #expect(now > 1000, "\(now) candidates for \(id.masked)")
        let oldMask = String(idNumber.prefix(4)) + String(repeating: "*", count: 10) + String(idNumber.suffix(4))
        #expect(Self.candidates(mask: oldMask, district: district, days: [id.birthDate]) == 1, "the attack the issue reported")
    }
}

@testable import Finance
import PinganCampaign
import PinganFinanceContracts
import PinganRules
import Testing

/// The allowance arithmetic without a store: the rate in force on each day, who pays, and a
/// day without a standard refused.
@Suite("Finance: allowance calculator")
struct AllowanceCalculatorTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    static let rates = [
        RateRecord(id: 1, kind: .activitySubsidy, amount: Money(fen: 2_000), validFrom: day("2010-01-01"), note: ""),
        RateRecord(id: 2, kind: .transportMeal, amount: Money(fen: 1_500), validFrom: day("2010-01-01"), note: ""),
        RateRecord(id: 3, kind: .transportMeal, amount: Money(fen: 2_500), validFrom: day("2010-04-16"), note: "raised mid-month"),
    ]
    static let payers = AllowancePayers(town: "TOWN", villageOf: ["VG-01": "VC-01", "VC-01": "VC-01"])

    @Test("a rate raised mid-month pays each day at its own rate, one line per standard; a village pays its units' shifts, the town their activities")
    func rateChangeAndPayers() throws {
        let calculator = AllowanceCalculator(year: 2010, payers: Self.payers, rates: Self.rates)
        let months = [
            ServedMonth(volunteerID: 7, unitCode: "JC-017", days: [
                ServedDay(day: Self.day("2010-04-10"), activities: 1, shifts: 2),
                ServedDay(day: Self.day("2010-04-20"), activities: 0, shifts: 1),
            ]),
            ServedMonth(volunteerID: 9, unitCode: "VG-01", days: [ServedDay(day: Self.day("2010-04-20"), activities: 2, shifts: 1)]),
        ]
        let batches = try calculator.batches(for: months)
        #expect(batches.map(\.funder) == ["TOWN", "VC-01"])
        let town = batches[0]
        #expect(town.lines.map { [$0.volunteerID, $0.rate.id, Int64($0.quantity), $0.amount.fen] } == [
            [7, 1, 1, 2_000], [7, 2, 2, 3_000], [7, 3, 1, 2_500], [9, 1, 2, 4_000],
        ])
        #expect(town.lines.allSatisfy { $0.budgetLine == "LINE/TOWN/2010/activity_subsidy" })
        #expect(town.total == Money(fen: 11_500))
        #expect(batches[1].lines.map { [$0.volunteerID, $0.rate.id, $0.amount.fen] } == [[9, 3, 2_500]])
        #expect(batches[1].lines[0].budgetLine == "LINE/VC-01/2010/village_patrol")
    }

    @Test("a day served before any standard was in force is refused, naming the kind and the day")
    func missingRate() throws {
        let calculator = AllowanceCalculator(year: 2010, payers: Self.payers, rates: Self.rates)
        let months = [ServedMonth(volunteerID: 7, unitCode: "JC-017", days: [ServedDay(day: Self.day("2009-12-31"), activities: 1, shifts: 0)])]
        #expect {
            try calculator.batches(for: months)
        } throws: { error in
            let refusal = error as? Refusal
            return refusal?.rules.map(\.rule) == ["NO_RATE_IN_FORCE"] && refusal?.rules.first?.message.contains("activity_subsidy on 2009-12-31") == true
        }
    }

    @Test("months parse as YYYY-MM and end on the next month's first day")
    func months() {
        #expect(CalendarMonth("2010-04")?.end == Self.day("2010-05-01"))
        #expect(CalendarMonth("2010-12")?.end == Self.day("2011-01-01"))
        for bad in ["2010-4", "2010-13", "201004", "", "2010-04-01", "abcd-ef"] { #expect(CalendarMonth(bad) == nil, "\(bad)") }
    }
}

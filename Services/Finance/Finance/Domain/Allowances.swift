import PinganCampaign
import PinganFinanceContracts
import PinganRules

/// What a volunteer did on one day of a month, as duty reports it.
public struct ServedDay: Sendable, Hashable {
    public var day: CalendarDay
    public var activities: Int
    public var shifts: Int

    public init(day: CalendarDay, activities: Int, shifts: Int) {
        self.day = day
        self.activities = activities
        self.shifts = shifts
    }
}

/// A volunteer's month of service: what the allowances are computed from. A volunteer who
/// withdrew mid-month has the days they served and is paid for them.
public struct ServedMonth: Sendable, Hashable {
    public var volunteerID: Int64
    public var unitCode: String
    public var days: [ServedDay]

    public init(volunteerID: Int64, unitCode: String, days: [ServedDay]) {
        self.volunteerID = volunteerID
        self.unitCode = unitCode
        self.days = days
    }
}

/// One line of an allowance batch: what one volunteer is paid under one expense standard.
public struct AllowanceLine: Sendable, Hashable {
    public var volunteerID: Int64
    public var unitCode: String
    public var rate: RateRecord
    /// Activities or shifts paid at the rate.
    public var quantity: Int
    public var amount: Money
    /// The budget line it is paid from.
    public var budgetLine: String
}

/// A month's allowances for one funder, before it is reserved.
public struct AllowanceBatchDraft: Sendable, Hashable {
    public var funder: String
    public var lines: [AllowanceLine]

    public var total: Money { Money(fen: lines.reduce(0) { $0 + $1.amount.fen }) }
}

/// Who pays what, after the town plan's "Funding": the town pays activity subsidies, and the
/// transport and meal allowance of shifts unless the volunteer's unit belongs to a village,
/// which pays its own patrols from its village-patrol line.
public struct AllowancePayers: Sendable, Hashable {
    public var town: String
    /// Unit code -> the village funder that pays its patrols.
    public var villageOf: [String: String]

    public init(town: String, villageOf: [String: String]) {
        self.town = town
        self.villageOf = villageOf
    }
}

/// Computes a month's allowance batches: the rate in force on each day times what was done
/// that day, one line per volunteer and standard, one batch per funder. Plain Swift: no store,
/// no network.
public struct AllowanceCalculator: Sendable {
    public var year: Int
    public var payers: AllowancePayers
    /// Every standard of each kind, any order.
    public var rates: [RateKind: [RateRecord]]

    public init(year: Int, payers: AllowancePayers, rates: [RateRecord]) {
        self.year = year
        self.payers = payers
        self.rates = Dictionary(grouping: rates, by: \.kind).mapValues { $0.sorted { $0.validFrom > $1.validFrom } }
    }

    /// The standard of `kind` in force on `day`: the latest that started on or before it.
    public func rate(_ kind: RateKind, on day: CalendarDay) -> RateRecord? {
        rates[kind]?.first { $0.validFrom <= day }
    }

    /// The batches, by funder code; or every day without a standard in force for what was done.
    public func batches(for months: [ServedMonth]) throws -> [AllowanceBatchDraft] {
        var lines: [String: [LineKey: AllowanceLine]] = [:]
        var missing: Set<String> = []
        for month in months {
            for served in month.days {
                for (kind, count) in [(RateKind.activitySubsidy, served.activities), (.transportMeal, served.shifts)] where count > 0 {
                    guard let rate = rate(kind, on: served.day) else {
                        missing.insert("\(kind.rawValue) on \(served.day)")
                        continue
                    }
                    let (funder, category) = payer(kind, unit: month.unitCode)
                    let key = LineKey(volunteerID: month.volunteerID, rateID: rate.id)
                    var line = lines[funder, default: [:]][key]
                        ?? AllowanceLine(volunteerID: month.volunteerID, unitCode: month.unitCode, rate: rate, quantity: 0, amount: Money(fen: 0),
                                         budgetLine: LedgerCodes.line(funder: funder, year: year, category))
                    line.quantity += count
                    line.amount = Money(fen: line.amount.fen + rate.amount.fen * Int64(count))
                    lines[funder, default: [:]][key] = line
                }
            }
        }
        guard missing.isEmpty else {
            throw Refusal("allowances", missing.sorted().prefix(20).map {
                BrokenRule(field: "month", rule: "NO_RATE_IN_FORCE", kind: .state, message: "no expense standard for \($0)")
            })
        }
        return lines.keys.sorted().map { funder in
            AllowanceBatchDraft(funder: funder, lines: lines[funder]!.values.sorted { ($0.volunteerID, $0.rate.id) < ($1.volunteerID, $1.rate.id) })
        }
    }

    func payer(_ kind: RateKind, unit: String) -> (funder: String, category: BudgetCategory) {
        if kind == .transportMeal, let village = payers.villageOf[unit] { return (village, .villagePatrol) }
        return (payers.town, .activitySubsidy)
    }

    struct LineKey: Hashable {
        var volunteerID: Int64
        var rateID: Int64
    }
}

/// Where an allowance batch stands. Reserved on computing; approved by a second person; posted
/// once; or rejected (its reservation voided) so the month can be computed again.
public enum BatchStatus: String, Sendable, Hashable, CaseIterable {
    case reserved, approved, posted, rejected
}

/// A calendar month, "2010-04".
public struct CalendarMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 7, parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (2000...2100).contains(year), (1...12).contains(month) else {
            return nil
        }
        self.year = year
        self.month = month
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// The first day of the next month: the month is over once that day has begun.
    public var end: CalendarDay {
        month == 12 ? CalendarDay(year: year + 1, month: 1, day: 1)! : CalendarDay(year: year, month: month + 1, day: 1)!
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

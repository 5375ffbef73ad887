import PinganCampaign
import PinganDutyContracts
import PinganRPC

/// Where a month's service comes from: duty's StreamMonthService, or a test's table.
public protocol ServedMonths: Sendable {
    /// Every volunteer with anything in the month, each with the days they served.
    func months(_ month: CalendarMonth) async throws -> [ServedMonth]
}

/// The month as duty reports it, read page by page over the stream.
public struct DutyServedMonths: ServedMonths {
    let duty: DutyClient

    public init(duty: DutyClient) {
        self.duty = duty
    }

    public func months(_ month: CalendarMonth) async throws -> [ServedMonth] {
        var request = Pingan_Duty_V1_StreamMonthServiceRequest()
        request.month = month.description
        var months: [ServedMonth] = []
        for try await volunteer in try await duty.streamMonthService(request) {
            let days = volunteer.days.compactMap { day in
                CalendarDay(iso: day.day).map { ServedDay(day: $0, activities: Int(day.activities), shifts: Int(day.shifts)) }
            }
            months.append(ServedMonth(volunteerID: volunteer.volunteerID, unitCode: volunteer.unitCode, days: days))
        }
        return months
    }
}

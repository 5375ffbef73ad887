import PinganCampaign
import PinganDutyContracts

extension DutyService {
    static func message(_ post: PostRecord) -> Pingan_Duty_V1_Post {
        var message = Pingan_Duty_V1_Post()
        message.id = post.id
        message.code = post.code
        message.project = post.project.rawValue
        message.unitCode = post.unitCode
        message.place = post.place
        message.duty = post.duty
        message.route = post.route.map { checkpoint in
            var point = Pingan_Duty_V1_Checkpoint()
            point.name = checkpoint.name
            point.minutesFromStart = Int32(checkpoint.minutesFromStart)
            return point
        }
        message.retiredAt = post.retiredAt ?? ""
        message.retireReason = post.retireReason ?? ""
        return message
    }

    static func message(_ shift: ShiftRecord) -> Pingan_Duty_V1_Shift {
        var message = Pingan_Duty_V1_Shift()
        message.id = shift.id
        message.postCode = shift.postCode
        message.project = shift.project.rawValue
        message.unitCode = shift.unitCode
        message.volunteerID = shift.volunteerID
        message.volunteerName = shift.volunteerName
        message.starts = shift.starts.description
        message.ends = shift.ends.description
        message.status = shift.status
        return message
    }

    /// The hazard as of `day`, which decides whether it is overdue.
    static func message(_ hazard: HazardRecord, on day: CalendarDay) -> Pingan_Duty_V1_Hazard {
        var message = Pingan_Duty_V1_Hazard()
        message.id = hazard.id
        message.kind = hazard.kind.rawValue
        message.unitCode = hazard.unitCode
        message.place = hazard.place
        message.description_p = hazard.description
        message.reportedBy = hazard.reportedBy ?? 0
        message.reportedOn = hazard.reportedOn.description
        message.status = hazard.status.rawValue
        message.department = hazard.department ?? ""
        message.dueOn = hazard.dueOn?.description ?? ""
        message.overdue = HazardWorkflow.isOverdue(status: hazard.status, dueOn: hazard.dueOn, on: day)
        message.steps = hazard.steps.map { step in
            var entry = Pingan_Duty_V1_HazardStep()
            entry.at = step.on
            entry.from = step.from ?? ""
            entry.to = step.to
            entry.actor = step.actor
            entry.note = step.note
            return entry
        }
        return message
    }
}

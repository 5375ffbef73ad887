import PinganTrainingContracts

/// Domain values to their proto messages.
extension TrainingService {
    static func message(_ course: Course) -> Pingan_Training_V1_Course {
        var message = Pingan_Training_V1_Course()
        message.id = course.id
        message.code = course.code
        message.name = course.name
        message.kind = course.kind.rawValue
        message.projects = course.projects
        message.deadline = course.deadline.description
        message.validThrough = course.validThrough?.description ?? ""
        message.requiredHours = course.requiredHours
        message.assessmentRequired = course.assessmentRequired
        return message
    }

    static func message(_ session: TrainingSession) -> Pingan_Training_V1_Session {
        var message = Pingan_Training_V1_Session()
        message.id = session.id
        message.courseID = session.courseID
        message.starts = session.starts.description
        message.ends = session.ends.description
        message.place = session.place
        message.capacity = Int32(session.capacity)
        message.trainer = session.trainer
        message.status = session.status.rawValue
        message.enrolled = Int32(session.enrolled)
        return message
    }

    static func message(_ change: (TrainingSession, notify: [Int64])) -> Pingan_Training_V1_SessionChange {
        var message = Pingan_Training_V1_SessionChange()
        message.session = Self.message(change.0)
        message.notifyVolunteerIds = change.notify
        return message
    }

    static func message(_ course: Course, _ record: CourseRecord) -> Pingan_Training_V1_CourseStatus {
        var message = Pingan_Training_V1_CourseStatus()
        message.courseID = course.id
        message.courseCode = course.code
        message.hours = record.hours
        message.requiredHours = course.requiredHours
        message.assessment = record.assessmentPassed.map { $0 ? "passed" : "failed" } ?? ""
        message.completedOn = record.completedOn?.description ?? ""
        return message
    }
}

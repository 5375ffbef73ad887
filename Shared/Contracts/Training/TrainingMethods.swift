import PinganRPC

/// The training service's methods and who may call them.
public enum TrainingMethods {
    static let service = "pingan.training.v1.Training"

    public static let createCourse = MethodDescriptor(service: service, method: "CreateCourse", access: .only(.admin))
    public static let listCourses = MethodDescriptor(service: service, method: "ListCourses", isIdempotent: true, access: .anyRole)
    public static let scheduleSession = MethodDescriptor(service: service, method: "ScheduleSession", access: .only(.admin, .trainer))
    public static let rescheduleSession = MethodDescriptor(service: service, method: "RescheduleSession", access: .only(.admin, .trainer))
    public static let cancelSession = MethodDescriptor(service: service, method: "CancelSession", access: .only(.admin, .trainer))
    public static let listSessions = MethodDescriptor(service: service, method: "ListSessions", isIdempotent: true, access: .anyRole)
    public static let enroll = MethodDescriptor(service: service, method: "Enroll", access: .only(.admin, .clerk))
    public static let recordAttendance = MethodDescriptor(service: service, method: "RecordAttendance", access: .only(.admin, .trainer))
    public static let recordAssessment = MethodDescriptor(service: service, method: "RecordAssessment", access: .only(.admin, .trainer))
    public static let checkQualification = MethodDescriptor(service: service, method: "CheckQualification", isIdempotent: true, access: .anyRole)
    public static let checkQualifications = MethodDescriptor(service: service, method: "CheckQualifications", isIdempotent: true, access: .anyRole)
    public static let getVolunteerTraining = MethodDescriptor(service: service, method: "GetVolunteerTraining", isIdempotent: true, access: .anyRole)
    public static let getCompletionReport = MethodDescriptor(service: service, method: "GetCompletionReport", isIdempotent: true, access: .anyRole)
    public static let listOverdue = MethodDescriptor(service: service, method: "ListOverdue", isIdempotent: true, access: .only(.admin, .auditor, .clerk))
    public static let getTrainerLoad = MethodDescriptor(service: service, method: "GetTrainerLoad", isIdempotent: true, access: .only(.admin, .auditor, .trainer))
}

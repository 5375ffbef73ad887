import ArgumentParser
import PinganRPCTransport
import PinganTrainingContracts

/// `pingan training ...`: courses, sessions, enrollment, qualification.
struct TrainingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: "Training: courses, sessions, enrollment, qualification, overdue lists.",
        subcommands: [TrainingCoursesCommand.self, TrainingSessionsCommand.self, TrainingScheduleCommand.self, TrainingEnrollCommand.self,
                      TrainingQualifyCommand.self, TrainingOverdueCommand.self])
}

struct TrainingCoursesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "courses", abstract: "Courses with their deadlines.")
    @OptionGroup var options: GatewayOptions

    func run() async throws {
        try await runGateway(options) { session in
            let list: Pingan_Training_V1_CourseList = try await session.client("training").unary(
                TrainingMethods.listCourses, Pingan_Training_V1_ListCoursesRequest(), options: session.options)
            session.print(Report(command: "training courses", sections: [Section(id: "training.courses", title: Text("课程", "Courses"), table: Table(
                columns: [.init("id", Text("编号", "ID")), .init("code", Text("代码", "Code")), .init("name", Text("名称", "Name")),
                          .init("kind", Text("类型", "Kind")), .init("deadline", Text("截止日期", "Deadline")), .init("valid_through", Text("有效至", "Valid through")),
                          .init("required_hours", Text("学时", "Hours"))],
                rows: list.courses.map { [.integer($0.id), .text($0.code), .text($0.name), .text($0.kind), .text($0.deadline),
                                          $0.validThrough.isEmpty ? .none : .text($0.validThrough), .decimal($0.requiredHours)] }))]))
        }
    }
}

struct TrainingSessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Sessions with seats taken.")
    @OptionGroup var options: GatewayOptions
    @Option var course: Int64?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ListSessionsRequest()
            request.courseID = course ?? 0
            let list: Pingan_Training_V1_SessionList = try await session.client("training").unary(TrainingMethods.listSessions, request, options: session.options)
            session.print(Report(command: "training sessions", sections: [Section(id: "training.sessions", title: Text("培训场次", "Sessions"), table: Table(
                columns: Self.columns, rows: list.sessions.map(Self.row)))]))
        }
    }

    static let columns: [Table.Column] = [
        .init("id", Text("场次", "Session")), .init("course_id", Text("课程", "Course")), .init("starts", Text("开始", "Starts")),
        .init("ends", Text("结束", "Ends")), .init("place", Text("地点", "Place")), .init("trainer", Text("讲师", "Trainer")),
        .init("enrolled", Text("已报名", "Enrolled")), .init("capacity", Text("名额", "Seats")), .init("status", Text("状态", "Status")),
    ]

    static func row(_ session: Pingan_Training_V1_Session) -> [Value] {
        [.integer(session.id), .integer(session.courseID), .text(session.starts), .text(session.ends), .text(session.place), .text(session.trainer),
         .int(session.enrolled), .int(session.capacity), .text(session.status)]
    }
}

struct TrainingScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Schedule a session of a course.")
    @OptionGroup var options: GatewayOptions
    @Option var course: Int64
    @Option(help: "YYYY-MM-DD HH:MM") var starts: String
    @Option(help: "YYYY-MM-DD HH:MM") var ends: String
    @Option var place: String
    @Option var capacity: Int32
    @Option var trainer: String
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ScheduleSessionRequest()
            request.courseID = course
            request.starts = starts
            request.ends = ends
            request.place = place
            request.capacity = capacity
            request.trainer = trainer
            let scheduled: Pingan_Training_V1_Session = try await session.client("training").unary(
                TrainingMethods.scheduleSession, request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "training schedule", sections: [Section(id: "training.sessions", title: Text("培训场次", "Session"), table: Table(
                columns: TrainingSessionsCommand.columns, rows: [TrainingSessionsCommand.row(scheduled)]))]))
        }
    }
}

struct TrainingEnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enroll", abstract: "Enroll a volunteer (the registry must call them active).")
    @OptionGroup var options: GatewayOptions
    @Argument var sessionID: Int64
    @Argument var volunteer: Int64
    @Option(help: "Retries with the same key act once.") var idempotencyKey: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_EnrollRequest()
            request.sessionID = sessionID
            request.volunteerID = volunteer
            let enrolled: Pingan_Training_V1_Enrollment = try await session.client("training").unary(
                TrainingMethods.enroll, request, options: session.options(idempotencyKey: idempotencyKey))
            session.print(Report(command: "training enroll", sections: [Section(id: "training.enrollment", title: Text("报名", "Enrollment"), fields: [
                Field("session_id", Text("场次", "Session"), .integer(enrolled.sessionID)), Field("volunteer_id", Text("编号", "Volunteer"), .integer(enrolled.volunteerID)),
                Field("name", Text("姓名", "Name"), .text(enrolled.volunteerName)), Field("unit", Text("单位", "Unit"), .text(enrolled.unitCode)),
                Field("seats_left", Text("剩余名额", "Seats left"), .int(enrolled.seatsLeft)),
            ])]))
        }
    }
}

struct TrainingQualifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "qualify", abstract: "Are these volunteers qualified for a project on a day?")
    @OptionGroup var options: GatewayOptions
    @Option var project: String
    @Option(help: "YYYY-MM-DD") var on: String
    @Argument(help: "Volunteer ids.") var volunteers: [Int64]

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_CheckQualificationsRequest()
            request.volunteerIds = volunteers
            request.project = project
            request.on = on
            let list: Pingan_Training_V1_QualificationList = try await session.client("training").unary(TrainingMethods.checkQualifications, request, options: session.options)
            session.print(Report(command: "training qualify", sections: [Section(id: "training.qualification", title: Text("上岗资格", "Qualification"), table: Table(
                columns: [.init("volunteer_id", Text("编号", "Volunteer")), .init("qualified", Text("合格", "Qualified")), .init("missing", Text("缺少", "Missing"))],
                rows: list.qualifications.map { answer in
                    [.integer(answer.volunteerID), .bool(answer.qualified),
                     answer.missing.isEmpty ? .none : .text(answer.missing.map { "\($0.courseCode) \($0.reason)" }.joined(separator: "; "))]
                }))]))
        }
    }
}

struct TrainingOverdueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdue", abstract: "Active volunteers without a course after its deadline.")
    @OptionGroup var options: GatewayOptions
    @Option var course: Int64
    @Option(help: "YYYY-MM-DD") var on: String
    @Option var unit: String?

    func run() async throws {
        try await runGateway(options) { session in
            var request = Pingan_Training_V1_ListOverdueRequest()
            request.courseID = course
            request.on = on
            request.unitCode = unit ?? ""
            let list: Pingan_Training_V1_OverdueList = try await session.client("training").unary(TrainingMethods.listOverdue, request, options: session.options)
            session.print(Report(command: "training overdue", sections: [Section(
                id: "training.overdue", title: Text("逾期未完成（截止 \(list.deadline)）", "Overdue (deadline \(list.deadline))"), table: Table(
                    columns: [.init("volunteer_id", Text("编号", "Volunteer")), .init("name", Text("姓名", "Name")), .init("unit", Text("单位", "Unit")),
                              .init("hours", Text("已修学时", "Hours"))],
                    rows: list.volunteers.map { [.integer($0.volunteerID), .text($0.name), .text($0.unitCode), .decimal($0.hours)] }))]))
        }
    }
}

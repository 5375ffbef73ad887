import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganRPC
import PinganTrainingContracts

/// Training's part of the gateway: courses and sessions in `volunteer show`, completion against
/// deadlines in the dashboard, and `pingan training ...`.
struct TrainingSection: ServiceSection {
    let service = ServiceName.training
    var commands: (any ParsableCommand.Type)? { TrainingCommand.self }
    let volunteerSections = [
        SectionTitle("training.courses", Text("培训课程", "Training")),
        SectionTitle("training.sessions", Text("已报名的培训场次", "Enrolled sessions")),
    ]
    let dashboardSections = [SectionTitle("training.completion", Text("培训完成情况", "Training against deadlines"))]
    let figures = [Figure("pre_job_training", Text("岗前培训", "Pre-job trained"))]

    func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section] {
        var request = Pingan_Training_V1_GetVolunteerTrainingRequest()
        request.volunteerID = id
        let training = try await TrainingClient(client).getVolunteerTraining(request, options: options)
        let courses = Table(
            columns: [.init("course", Text("课程", "Course")), .init("hours", Text("学时", "Hours")), .init("required_hours", Text("要求学时", "Required")),
                      .init("assessment", Text("考核", "Assessment")), .init("completed_on", Text("完成日期", "Completed"))],
            rows: training.courses.map { [.text($0.courseCode), .decimal($0.hours), .decimal($0.requiredHours),
                                          $0.assessment.isEmpty ? .none : .text($0.assessment), $0.completedOn.isEmpty ? .none : .text($0.completedOn)] })
        let sessions = Table(
            columns: [.init("session", Text("场次", "Session")), .init("starts", Text("开始", "Starts")), .init("ends", Text("结束", "Ends")),
                      .init("place", Text("地点", "Place")), .init("trainer", Text("讲师", "Trainer"))],
            rows: training.upcomingSessions.map { [.integer($0.id), .text($0.starts), .text($0.ends), .text($0.place), .text($0.trainer)] })
        return [Section(id: volunteerSections[0].id, title: volunteerSections[0].title, table: courses),
                Section(id: volunteerSections[1].id, title: volunteerSections[1].title, table: sessions)]
    }

    /// Completion of each course against its deadline.
    func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart {
        let training = TrainingClient(client)
        let courses = try await training.listCourses(Pingan_Training_V1_ListCoursesRequest(), options: options)
        let reports = try await withThrowingTaskGroup(of: (Int, Pingan_Training_V1_CompletionReport).self) { group in
            for (index, course) in courses.courses.enumerated() {
                group.addTask {
                    var request = Pingan_Training_V1_GetCompletionReportRequest()
                    request.courseID = course.id
                    return (index, try await training.getCompletionReport(request, options: options))
                }
            }
            var reports = [Pingan_Training_V1_CompletionReport?](repeating: nil, count: courses.courses.count)
            for try await (index, report) in group { reports[index] = report }
            return reports.compactMap { $0 }
        }
        let table = Table(
            columns: [.init("course", Text("课程", "Course")), .init("name", Text("名称", "Name")), .init("kind", Text("类型", "Kind")),
                      .init("deadline", Text("截止日期", "Deadline")), .init("active", Text("在册", "Active")),
                      .init("completed", Text("已完成", "Completed")), .init("share", Text("完成率", "%"))],
            rows: reports.map { report in
                [.text(report.course.code), .text(report.course.name), .text(report.course.kind), .text(report.course.deadline),
                 .int(report.active), .int(report.completed), .percent(part: Int64(report.completed), whole: Int64(report.active))]
            })
        var figures: [String: (part: Int64, whole: Int64)] = [:]
        if let preJob = reports.first(where: { $0.course.kind == "pre_job" }) {
            figures["pre_job_training"] = (Int64(preJob.completed), Int64(preJob.active))
        }
        return DashboardPart(sections: [Section(id: dashboardSections[0].id, title: dashboardSections[0].title, table: table)], figures: figures)
    }
}

import PinganCampaign
import PinganRPC
import PinganServiceKit
import PinganTrainingContracts

extension TrainingService {
    /// Completions (training's data) against active volunteers (the registry's, as training's
    /// copy has them once it has caught up with the registry): a report needs both, so it is
    /// unavailable while the registry is.
    func completionReport(_ request: Pingan_Training_V1_GetCompletionReportRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_CompletionReport {
        guard let course = try await store.course(id: request.courseID) else { throw RPCError(.notFound, "course_id: course \(request.courseID) does not exist") }
        try await catchUp(context)
        let counts = try await store.completionCounts(courseID: course.id, unitCode: context.caller?.unitScope)
        var units: [String: (active: Int, completed: Int)] = [:], categories: [Int: (active: Int, completed: Int)] = [:]
        for count in counts {
            units[count.unitCode, default: (0, 0)].active += count.active
            units[count.unitCode, default: (0, 0)].completed += count.completed
            categories[count.category, default: (0, 0)].active += count.active
            categories[count.category, default: (0, 0)].completed += count.completed
        }
        var report = Pingan_Training_V1_CompletionReport()
        report.course = Self.message(course)
        report.active = Int32(counts.reduce(0) { $0 + $1.active })
        report.completed = Int32(counts.reduce(0) { $0 + $1.completed })
        report.units = units.sorted { $0.key < $1.key }.map { Self.line($0.key, $0.value) }
        report.categories = categories.sorted { $0.key < $1.key }.map { Self.line(String($0.key), $0.value) }
        return report
    }

    func listOverdue(_ request: Pingan_Training_V1_ListOverdueRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_OverdueList {
        guard let course = try await store.course(id: request.courseID) else { throw RPCError(.notFound, "course_id: course \(request.courseID) does not exist") }
        guard let day = CalendarDay(iso: request.on) else { throw RPCError(.invalidArgument, "on: '\(request.on.prefix(32))' is not a date (YYYY-MM-DD)") }
        let page = try VolunteerListPage(pageSize: request.pageSize, afterVolunteerID: request.afterVolunteerID)
        var answer = Pingan_Training_V1_OverdueList()
        answer.deadline = course.deadline.description
        guard day > course.deadline else { return answer }
        let unit = try context.unitScope(asked: request.unitCode)
        try await catchUp(context)
        let (overdue, next) = page.split(try await store.notCompleted(courseID: course.id, unitCode: unit, after: page.after, limit: page.limit)) {
            $0.volunteer.id
        }
        answer.nextAfterVolunteerID = next
        answer.volunteers = overdue.map { volunteer, hours in
            var line = Pingan_Training_V1_OverdueVolunteer()
            line.volunteerID = volunteer.id
            line.name = volunteer.name
            line.unitCode = volunteer.unitCode
            line.hours = hours
            return line
        }
        return answer
    }

    private func catchUp(_ context: ServerContext) async throws {
        do {
            try await directory.catchUp(deadline: context.deadline, requestID: context.requestID)
        } catch let error as RPCError {
            throw error.fromDownstream("registry", "active volunteers cannot be counted")
        }
    }

    private static func line(_ key: String, _ counts: (active: Int, completed: Int)) -> Pingan_Training_V1_CompletionLine {
        var line = Pingan_Training_V1_CompletionLine()
        line.key = key
        line.active = Int32(counts.active)
        line.completed = Int32(counts.completed)
        return line
    }
}

import PinganCampaign
import PinganRPC
import PinganTrainingContracts

extension TrainingService {
    /// Completions (training's data) against active volunteers (the registry's): a report
    /// needs both, so it is unavailable while the registry is.
    func completionReport(_ request: Pingan_Training_V1_GetCompletionReportRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_CompletionReport {
        guard let course = try await store.course(id: request.courseID) else { throw RPCError(.notFound, "course_id: course \(request.courseID) does not exist") }
        let scope = context.caller?.unitScope
        let active = try await activeVolunteers(unitCode: scope, context)
        let activeIDs = Set(active.map(\.id))
        let completed = try await store.completions(courseID: course.id, unitCode: scope)
        var units: [String: (active: Int, completed: Int)] = [:], categories: [Int: (active: Int, completed: Int)] = [:]
        for volunteer in active {
            units[volunteer.unitCode, default: (0, 0)].active += 1
            categories[volunteer.category, default: (0, 0)].active += 1
            if completed.volunteers.contains(volunteer.id) {
                units[volunteer.unitCode, default: (0, 0)].completed += 1
                categories[volunteer.category, default: (0, 0)].completed += 1
            }
        }
        var report = Pingan_Training_V1_CompletionReport()
        report.course = Self.message(course)
        report.active = Int32(active.count)
        report.completed = Int32(completed.volunteers.intersection(activeIDs).count)
        report.units = units.sorted { $0.key < $1.key }.map { Self.line($0.key, $0.value) }
        report.categories = categories.sorted { $0.key < $1.key }.map { Self.line(String($0.key), $0.value) }
        return report
    }

    func listOverdue(_ request: Pingan_Training_V1_ListOverdueRequest, _ context: ServerContext) async throws -> Pingan_Training_V1_OverdueList {
        guard let course = try await store.course(id: request.courseID) else { throw RPCError(.notFound, "course_id: course \(request.courseID) does not exist") }
        guard let day = CalendarDay(iso: request.on) else { throw RPCError(.invalidArgument, "on: '\(request.on.prefix(32))' is not a date (YYYY-MM-DD)") }
        var answer = Pingan_Training_V1_OverdueList()
        answer.deadline = course.deadline.description
        guard day > course.deadline else { return answer }
        let unit = try context.unitScope(asked: request.unitCode)
        let active = try await activeVolunteers(unitCode: unit, context)
        let completed = try await store.completions(courseID: course.id, unitCode: unit).volunteers
        let hours = try await store.hours(courseID: course.id)
        answer.volunteers = active.filter { !completed.contains($0.id) }.map { volunteer in
            var line = Pingan_Training_V1_OverdueVolunteer()
            line.volunteerID = volunteer.id
            line.name = volunteer.name
            line.unitCode = volunteer.unitCode
            line.hours = hours[volunteer.id] ?? 0
            return line
        }
        return answer
    }

    private func activeVolunteers(unitCode: String?, _ context: ServerContext) async throws -> [VolunteerSnapshot] {
        do {
            return try await directory.activeVolunteers(unitCode: unitCode, deadline: context.deadline, requestID: context.requestID)
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

import PinganTrainingContracts

/// A course as people name it: its code (`PJ-01`, as the dashboard shows it) or its id.
enum CourseReference {
    static func id(_ text: String, option: String = "--course", _ session: GatewaySession) async throws -> Int64 {
        if let id = Int64(text), id > 0 { return id }
        let courses = try await session.training().listCourses(Pingan_Training_V1_ListCoursesRequest(), options: session.options).courses
        guard let course = courses.first(where: { $0.code.caseInsensitiveCompare(text) == .orderedSame }) else {
            throw GatewayExit.usage("\(option) '\(text.prefix(32))' is not a course code or id (courses: \(courses.map(\.code).joined(separator: ", ")))")
        }
        return course.id
    }
}

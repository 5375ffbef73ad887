import PinganRPC

/// Lists that a service gives a page at a time by volunteer id (`page_size`,
/// `after_volunteer_id`, `next_after_volunteer_id`): a town of a million has hundreds of
/// thousands behind early in a month.
enum VolunteerPages {
    /// The largest page a service gives.
    static let size: Int32 = 10_000

    /// Every page: `fetch` is asked from 0, then from each answer's next id, until an answer
    /// says none follows. A next id that does not move forward ends it with an error instead
    /// of asking forever.
    static func all<Page>(_ fetch: (_ after: Int64) async throws -> Page, next: (Page) -> Int64) async throws -> [Page] {
        var pages = [try await fetch(0)]
        var after: Int64 = 0
        while true {
            let following = next(pages[pages.count - 1])
            guard following != 0 else { return pages }
            guard following > after else {
                throw RPCError(.internal, "next_after_volunteer_id: \(following) does not follow \(after); the service's pages are out of order")
            }
            after = following
            pages.append(try await fetch(after))
        }
    }
}

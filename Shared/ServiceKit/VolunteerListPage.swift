import PinganRPC

/// A page of a list ordered by volunteer id, as a request asks for it (`page_size`,
/// `after_volunteer_id`): a list that grows with the town (a million volunteers, most of them
/// behind early in a month) comes a bounded page at a time instead of one answer past the
/// message limit.
public struct VolunteerListPage: Sendable, Equatable {
    public static let defaultSize = 1_000
    public static let maximumSize = 10_000

    /// At most this many rows.
    public var size: Int
    /// Rows with a larger volunteer id (0: from the first).
    public var after: Int64

    /// The request's fields checked: INVALID_ARGUMENT naming the field and the rule.
    public init(pageSize: Int32, afterVolunteerID: Int64) throws {
        guard (0...Int32(Self.maximumSize)).contains(pageSize) else {
            throw RPCError(.invalidArgument, "page_size: must be 1-\(Self.maximumSize) (0 means \(Self.defaultSize)), got \(pageSize)")
        }
        guard afterVolunteerID >= 0 else {
            throw RPCError(.invalidArgument, "after_volunteer_id: must not be negative, got \(afterVolunteerID)")
        }
        size = pageSize == 0 ? Self.defaultSize : Int(pageSize)
        after = afterVolunteerID
    }

    /// How many rows to fetch: one more than the page, to know whether another follows.
    public var limit: Int { size + 1 }

    /// The page of `rows` (fetched with `limit`, by id) and the next page's
    /// `after_volunteer_id`, 0 when none follows.
    public func split<Row>(_ rows: [Row], id: (Row) -> Int64) -> (rows: [Row], next: Int64) {
        guard rows.count > size else { return (rows, 0) }
        let page = Array(rows.prefix(size))
        return (page, page.last.map(id) ?? 0)
    }
}

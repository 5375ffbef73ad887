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

    /// How many volunteers to fetch: one more than the page, to know whether another follows.
    public var limit: Int { size + 1 }

    /// The page of `rows` (fetched for `limit` volunteers, by id; a volunteer may have several
    /// rows, together) and the next page's `after_volunteer_id`, 0 when none follows.
    public func split<Row>(_ rows: [Row], id: (Row) -> Int64) -> (rows: [Row], next: Int64) {
        var volunteers = 0
        var last: Int64 = 0
        for (index, row) in rows.enumerated() where volunteers == 0 || id(row) != last {
            volunteers += 1
            if volunteers > size { return (Array(rows[..<index]), last) }
            last = id(row)
        }
        return (rows, 0)
    }
}

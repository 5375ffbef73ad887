import Foundation
import PinganRules

/// A volunteer search: every filter given must match. Pages follow id order, or name then id
/// order when a name prefix is given (so each page is a range of the name index, however many
/// names share the prefix); a cursor is the last volunteer seen, bound to the filters it was
/// issued for.
public struct VolunteerSearch: Sendable, Hashable {
    public var namePrefix: String?
    public var unitCode: String?
    public var category: Int?
    public var status: VolunteerStatus?
    public var teamID: Int64?
    public var pageSize: Int
    /// Volunteers after this one: by id, or by (name, id) when searching by name.
    public var after: Int64
    public var afterName: String?

    public static let defaultPageSize = 50
    public static let maximumPageSize = 500

    public init(namePrefix: String? = nil, unitCode: String? = nil, category: Int? = nil, status: VolunteerStatus? = nil,
                teamID: Int64? = nil, pageSize: Int = defaultPageSize, after: Int64 = 0) {
        self.namePrefix = namePrefix
        self.unitCode = unitCode
        self.category = category
        self.status = status
        self.teamID = teamID
        self.pageSize = pageSize
        self.after = after
    }

    /// The token for the page after the volunteer `lastID` named `name`.
    public func pageToken(after lastID: Int64, name: String) -> String {
        let position = namePrefix == nil ? "" : ":" + name
        return Data("v1:\(lastID):\(filterDigest)\(position)".utf8).base64EncodedString()
    }

    /// Reads a page token into `after`; a token from another search or a forged one is refused.
    public mutating func resume(from token: String) throws(BrokenRule) {
        let refused = BrokenRule(field: "pageToken", rule: "PAGE_TOKEN", message: "is not a token this search issued (same filters required)")
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { throw refused }
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == (namePrefix == nil ? 3 : 4), parts[0] == "v1", let id = Int64(parts[1]), id >= 0,
              parts[2] == Substring(filterDigest) else { throw refused }
        after = id
        afterName = namePrefix == nil ? nil : String(parts[3])
    }

    /// A stable digest of the filters (FNV-1a): not a secret, only a guard against mixing tokens.
    var filterDigest: String {
        let text = [namePrefix ?? "", unitCode ?? "", category.map(String.init) ?? "", status?.rawValue ?? "",
                    teamID.map(String.init) ?? ""].joined(separator: "\u{1F}")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Problems with the page size.
    public static func checkPageSize(_ size: Int) -> BrokenRule? {
        (1...maximumPageSize).contains(size) ? nil
            : BrokenRule(field: "pageSize", rule: "PAGE_SIZE", message: "must be 1-\(maximumPageSize) (0 means \(defaultPageSize)), got \(size)")
    }
}

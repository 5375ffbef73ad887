import Foundation
import PinganIdentity

/// A per-service ACL: maps certificate identities to a role and a unit scope.
///
/// The file is JSON:
/// ```json
/// {"identities": [
///   {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"},
///   {"match": "uri:spiffe://pingan/user/clerk-jc017", "role": "clerk", "unit": "JC-017"},
///   {"match": "cn:auditor-zhang", "role": "auditor"},
///   {"match": "sha256:3f1c...", "role": "service"}
/// ]}
/// ```
/// An identity is matched by URI SAN first, then common name, then certificate fingerprint.
public struct AccessControlList: Sendable, Hashable {
    private var byURI: [String: Caller] = [:]
    private var byCommonName: [String: Caller] = [:]
    private var byFingerprint: [String: Caller] = [:]

    /// How many identities the list names.
    public var count: Int { byURI.count + byCommonName.count + byFingerprint.count }

    public init() {}

    /// The caller a verified certificate identity maps to, or nil if the list does not name it.
    public func caller(for peer: PeerIdentity) -> Caller? {
        for uri in peer.uris {
            if let caller = byURI[uri] { return caller }
        }
        if let name = peer.commonName, let caller = byCommonName[name] { return caller }
        return byFingerprint[peer.fingerprint]
    }

    /// Adds an entry; throws if its key is already taken.
    public mutating func add(match: String, caller: Caller) throws(ACLError) {
        let (kind, value) = try Self.split(match)
        switch kind {
        case "uri": try Self.insert(value, caller, into: &byURI, match: match)
        case "cn": try Self.insert(value, caller, into: &byCommonName, match: match)
        default: try Self.insert(value.lowercased(), caller, into: &byFingerprint, match: match)
        }
    }

    private static func insert(_ key: String, _ caller: Caller, into table: inout [String: Caller], match: String) throws(ACLError) {
        guard table[key] == nil else { throw ACLError("'\(match)' is listed twice") }
        table[key] = caller
    }

    private static func split(_ match: String) throws(ACLError) -> (String, String) {
        guard let colon = match.firstIndex(of: ":") else {
            throw ACLError("match '\(match)' must start with uri:, cn: or sha256:")
        }
        let kind = String(match[..<colon])
        let value = String(match[match.index(after: colon)...])
        guard ["uri", "cn", "sha256"].contains(kind) else {
            throw ACLError("match '\(match)' must start with uri:, cn: or sha256:")
        }
        guard !value.isEmpty else { throw ACLError("match '\(match)' names nothing after '\(kind):'") }
        if kind == "sha256", value.count != 64 || !value.allSatisfy(\.isHexDigit) {
            throw ACLError("match '\(match)': a sha256 fingerprint is 64 hex digits")
        }
        return (kind, value)
    }

    /// Parses the JSON form; every error names the entry and the rule.
    public init(json: Data) throws(ACLError) {
        struct File: Decodable {
            struct Entry: Decodable {
                var match: String?
                var role: String?
                var unit: String?
            }
            var identities: [Entry]?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: json)
        } catch {
            throw ACLError("not valid JSON of the form {\"identities\": [...]}: \(error)")
        }
        guard let entries = file.identities else { throw ACLError("'identities' is missing") }
        self.init()
        for (index, entry) in entries.enumerated() {
            let field = "identities[\(index)]"
            guard let match = entry.match else { throw ACLError("\(field).match is missing") }
            guard let name = entry.role else { throw ACLError("\(field).role is missing") }
            guard let role = Role(rawValue: name) else {
                throw ACLError("\(field).role '\(name)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if role == .clerk, entry.unit?.isEmpty ?? true {
                throw ACLError("\(field): a clerk needs a unit")
            }
            do {
                try add(match: match, caller: Caller(role: role, unitScope: entry.unit, matchedBy: match))
            } catch {
                throw ACLError("\(field): \(error.message)")
            }
        }
    }

    /// Reads and parses a file; errors name the file.
    public init(contentsOf path: String) throws(ACLError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ACLError("\(path): cannot be read")
        }
        do {
            try self.init(json: data)
        } catch {
            throw ACLError("\(path): \(error.message)")
        }
    }
}

/// Why an ACL file was refused.
public struct ACLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

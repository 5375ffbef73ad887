import Foundation
import PinganIdentity
import PinganRPC
import Testing

@Suite("Access control lists")
struct AccessControlTests {
    static let json = """
    {"identities": [
      {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"},
      {"match": "uri:spiffe://pingan/user/clerk-jc017", "role": "clerk", "unit": "JC-017"},
      {"match": "cn:auditor-zhang", "role": "auditor"},
      {"match": "sha256:\(String(repeating: "ab", count: 32))", "role": "service"}
    ]}
    """

    static func peer(cn: String? = nil, uri: String? = nil, fingerprint: String = "00") -> PeerIdentity {
        PeerIdentity(commonName: cn, uris: uri.map { [$0] } ?? [], fingerprint: fingerprint)
    }

    @Test func mapsIdentitiesToRolesAndUnits() throws {
        let list = try AccessControlList(json: Data(Self.json.utf8))
        #expect(list.count == 4)
        #expect(list.caller(for: Self.peer(uri: "spiffe://pingan/user/clerk-jc017"))?.unitScope == "JC-017")
        #expect(list.caller(for: Self.peer(cn: "auditor-zhang"))?.role == .auditor)
        #expect(list.caller(for: Self.peer(fingerprint: String(repeating: "ab", count: 32)))?.role == .service)
        #expect(list.caller(for: Self.peer(cn: "stranger")) == nil)
    }

    @Test("a URI match wins over a common-name match")
    func uriFirst() throws {
        let list = try AccessControlList(json: Data(Self.json.utf8))
        let both = Self.peer(cn: "auditor-zhang", uri: "spiffe://pingan/user/town-office")
        #expect(list.caller(for: both)?.role == .admin)
    }

    @Test("each bad file is refused with a message naming the entry and the rule", arguments: [
        ("[]", "not valid JSON of the form"),
        ("{}", "'identities' is missing"),
        (#"{"identities":[{"role":"admin"}]}"#, "identities[0].match is missing"),
        (#"{"identities":[{"match":"cn:a"}]}"#, "identities[0].role is missing"),
        (#"{"identities":[{"match":"cn:a","role":"boss"}]}"#, "identities[0].role 'boss' is not one of admin, clerk, trainer, coordinator, finance, auditor, service"),
        (#"{"identities":[{"match":"cn:a","role":"clerk"}]}"#, "identities[0]: a clerk needs a unit"),
        (#"{"identities":[{"match":"email:a@b","role":"admin"}]}"#, "identities[0]: match 'email:a@b' must start with uri:, cn: or sha256:"),
        (#"{"identities":[{"match":"sha256:abc","role":"admin"}]}"#, "identities[0]: match 'sha256:abc': a sha256 fingerprint is 64 hex digits"),
        (#"{"identities":[{"match":"cn:a","role":"admin"},{"match":"cn:a","role":"auditor"}]}"#, "identities[1]: 'cn:a' is listed twice"),
    ])
    func rejectsBadFiles(_ json: String, _ message: String) {
        #expect {
            try AccessControlList(json: Data(json.utf8))
        } throws: { error in
            (error as? ACLError)?.message.hasPrefix(message) == true
        }
    }

    @Test func unreadableFileNamesThePath() {
        #expect(throws: ACLError("/nonexistent/acl.json: cannot be read")) {
            try AccessControlList(contentsOf: "/nonexistent/acl.json")
        }
    }

    static let adminOnly = MethodDescriptor(service: "t.v1.T", method: "Approve", access: .only(.admin))
    static let anyRole = MethodDescriptor(service: "t.v1.T", method: "List", access: .anyRole)
    static let open = MethodDescriptor(service: "t.v1.T", method: "Check", access: .anyVerifiedPeer)

    @Test func authorizesByRole() throws {
        let control = AccessControl(try AccessControlList(json: Data(Self.json.utf8)))
        let clerk = Self.peer(uri: "spiffe://pingan/user/clerk-jc017")
        let stranger = Self.peer(cn: "stranger")

        #expect(try control.authorize(clerk, for: Self.anyRole).get()?.role == .clerk)
        guard case .failure(let denied) = control.authorize(clerk, for: Self.adminOnly) else { Issue.record("expected denial"); return }
        #expect(denied.code == .permissionDenied)
        #expect(denied.message == "role clerk may not call /t.v1.T/Approve (allowed: admin)")

        guard case .failure(let unknown) = control.authorize(stranger, for: Self.anyRole) else { Issue.record("expected refusal"); return }
        #expect(unknown.code == .unauthenticated)
        #expect(unknown.message == "identity stranger is not in this service's ACL")

        #expect(try control.authorize(stranger, for: Self.open).get() == nil)
    }

    @Test("a replaced list applies to the next check")
    func replacement() throws {
        let control = AccessControl(AccessControlList())
        let auditor = Self.peer(cn: "auditor-zhang")
        #expect((try? control.authorize(auditor, for: Self.anyRole).get()) == nil)
        control.replace(with: try AccessControlList(json: Data(Self.json.utf8)))
        #expect(try control.authorize(auditor, for: Self.anyRole).get()?.role == .auditor)
    }
}

import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

@Suite("Authorization over mutual TLS", .timeLimit(.minutes(2)))
struct AuthorizationTests {
    @Test("the handler sees the caller's role and unit scope")
    func callerReachesTheHandler() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let response: TestService.Response = try await connection.unary(TestService.whoami, TestService.request(""))
        #expect(response.server.hasPrefix("town-office clerk@JC-017 "))
        await server.server.close()
    }

    @Test("an identity the ACL does not list is UNAUTHENTICATED, but may still check health")
    func unknownIdentity() async throws {
        let server = try await TestServer.start(acl: AccessControlList())
        let connection = try await server.connect()
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(""))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unauthenticated && error.message.hasPrefix("identity spiffe://pingan/user/town-office is not in this service's ACL")
        }
        let health: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        #expect(health.status == .serving)
        await server.server.close()
    }

    @Test("a known caller whose role the method does not admit is PERMISSION_DENIED")
    func wrongRole() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.adminOnly, TestService.request(""))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .permissionDenied && error.message == "role clerk may not call /test.v1.Test/AdminOnly (allowed: admin)"
        }
        await server.server.close()
    }

    @Test("a replaced ACL applies to the next call on an open connection")
    func replacementWithoutReconnecting() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        var list = AccessControlList()
        try list.add(match: "cn:town-office", caller: Caller(role: .admin, matchedBy: "cn:town-office"))
        server.accessControl.replace(with: list)
        let response: TestService.Response = try await connection.unary(TestService.adminOnly, TestService.request(""))
        #expect(response.server == "admin work done")
        await server.server.close()
    }
}

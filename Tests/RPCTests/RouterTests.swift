import Logging
import NIOCore
import PinganIdentity
import PinganProtocolContracts
import PinganRPC
import PinganWire
import Testing

@Suite("Router and error mapping")
struct RouterTests {
    enum ApplicationError: RPCErrorConvertible {
        case tooOld(age: Int)
        var rpcError: RPCError {
            switch self {
            case .tooOld(let age): RPCError(.invalidArgument, "applicant.birthDate: age \(age) is above 65 and no waiver was given")
            }
        }
    }

    struct SecretFailure: Error {}

    static let check = MethodDescriptor(service: "test.v1.T", method: "Check", access: .anyRole)

    static func context(_ method: MethodDescriptor = check) -> ServerContext {
        ServerContext(method: method, metadata: Metadata([MetadataEntry("request-id", "req-9")]), deadline: nil,
                      peer: PeerIdentity(commonName: "tester", fingerprint: "00"), caller: nil, connectionLogger: Logger(label: "test"))
    }

    static func router(_ handler: @escaping @Sendable (Pingan_Health_V1_HealthCheckRequest, ServerContext) async throws -> Pingan_Health_V1_HealthCheckResponse) -> Router {
        var router = Router()
        router.register(check, handler)
        return router
    }

    static func request(_ service: String = "") throws -> ByteBuffer {
        var request = Pingan_Health_V1_HealthCheckRequest()
        request.service = service
        return try request.rpcPayload()
    }

    @Test func routesTypedRequestsAndResponses() async throws {
        let router = Self.router { request, context in
            var response = Pingan_Health_V1_HealthCheckResponse()
            response.server = "\(request.service) via \(context.requestID)"
            return response
        }
        let result = await router.route(for: "/test.v1.T/Check")!.invoke(try Self.request("svc"), context: Self.context())
        let response = try Pingan_Health_V1_HealthCheckResponse(payload: try result.get())
        #expect(response.server == "svc via req-9")
        #expect(router.route(for: "/test.v1.T/Other") == nil)
    }

    @Test func domainErrorsKeepTheirCodeAndMessage() async throws {
        let router = Self.router { _, _ in throw ApplicationError.tooOld(age: 66) }
        let result = await router.route(for: "/test.v1.T/Check")!.invoke(try Self.request(), context: Self.context())
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.code == .invalidArgument)
        #expect(error.message == "applicant.birthDate: age 66 is above 65 and no waiver was given")
    }

    @Test("other errors go out as INTERNAL without their details")
    func unknownErrorsBecomeInternal() async throws {
        let router = Self.router { _, _ in throw SecretFailure() }
        let result = await router.route(for: "/test.v1.T/Check")!.invoke(try Self.request(), context: Self.context())
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.code == .internal)
        #expect(error.message == "internal error (request id req-9)")
        #expect(CallStatus(error).message == "internal error (request id req-9)")
    }

    @Test func undecodableRequestsAreInvalidArgument() async throws {
        let router = Self.router { _, _ in Pingan_Health_V1_HealthCheckResponse() }
        let garbage = ByteBuffer(bytes: [0x0A, 0xFF])
        let result = await router.route(for: "/test.v1.T/Check")!.invoke(garbage, context: Self.context())
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.code == .invalidArgument)
        #expect(error.message.hasPrefix("request: not a valid pingan.health.v1.HealthCheckRequest message"))
    }

    @Test("error details travel in the STATUS payload as pingan.rpc.v1.StatusDetails")
    func statusDetailsTravelInTheStatusPayload() throws {
        let details = ErrorDetails(reason: "BATCH_REFUSED", fieldViolations: [
            .init(field: "rows[17].id_number", rule: "GB11643_CHECK_DIGIT", description: "check digit is 3 but GB 11643 requires X"),
        ], retryAfter: .milliseconds(1500))
        let status = CallStatus(RPCError(.invalidArgument, "1 bad row", details: details))
        let wire = try Pingan_Rpc_V1_StatusDetails(serializedBytes: status.details)
        #expect(wire.reason == "BATCH_REFUSED" && wire.retryAfterMs == 1500)
        #expect(wire.fieldViolations.map(\.description_p) == ["check digit is 3 but GB 11643 requires X"])
        var buffer = ByteBuffer()
        status.write(into: &buffer)
        let decoded = try CallStatus.read(from: buffer).rpcError
        #expect(decoded.code == .invalidArgument)
        #expect(decoded.details == details)
    }

    @Test func codesHaveGRPCNumbersAndNames() {
        #expect(RPCError.Code.unimplemented.rawValue == 12)
        #expect(RPCError.Code.unauthenticated.rawValue == 16)
        #expect("\(RPCError.Code.deadlineExceeded)" == "DEADLINE_EXCEEDED")
        #expect("\(RPCError.Code(rawValue: 40))" == "CODE_40")
    }

    @Test func reflectionListsEveryMethodIncludingItself() async throws {
        var router = Router()
        HealthService(serverName: "pingan-test", version: "1.2.3").register(with: &router)
        ReflectionService().register(with: &router)
        let method = ReflectionService.listMethods
        let result = await router.route(for: method.fullName)!.invoke(try Pingan_Rpc_V1_ListMethodsRequest().rpcPayload(), context: Self.context(method))
        let listed = try Pingan_Rpc_V1_ListMethodsResponse(payload: try result.get())
        #expect(listed.methods.map(\.name) == ["/pingan.health.v1.Health/Check", "/pingan.rpc.v1.Reflection/ListMethods"])
        #expect(listed.methods.first?.requestType == "pingan.health.v1.HealthCheckRequest")
        #expect(listed.methods.allSatisfy { $0.kind == .unary && $0.idempotent })
    }

    @Test func healthReportsNameVersionAndServingState() async throws {
        var router = Router()
        HealthService(serverName: "pingan-test", version: "1.2.3", isServing: { false }).register(with: &router)
        let result = await router.route(for: HealthService.check.fullName)!.invoke(try Self.request(), context: Self.context())
        let health = try Pingan_Health_V1_HealthCheckResponse(payload: try result.get())
        #expect(health.server == "pingan-test")
        #expect(health.version == "1.2.3")
        #expect(health.status == .notServing)
    }
}

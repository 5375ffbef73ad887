import Foundation
import Logging
import NIOConcurrencyHelpers
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport

/// Methods the integration tests call. Health messages serve as generic carriers: the request's
/// `service` field is the input, the response's `server` field the output.
struct TestService: RPCService {
    static let echo = MethodDescriptor(service: "test.v1.Test", method: "Echo")
    static let delay = MethodDescriptor(service: "test.v1.Test", method: "Delay")
    static let hang = MethodDescriptor(service: "test.v1.Test", method: "Hang")
    static let fail = MethodDescriptor(service: "test.v1.Test", method: "Fail")
    static let whoami = MethodDescriptor(service: "test.v1.Test", method: "Whoami")

    typealias Request = Pingan_Health_V1_HealthCheckRequest
    typealias Response = Pingan_Health_V1_HealthCheckResponse

    struct Rejected: RPCErrorConvertible {
        var rpcError: RPCError { RPCError(.failedPrecondition, "volunteer.status: a withdrawn volunteer cannot be assigned") }
    }

    /// Counts handlers that saw their task cancelled.
    let cancellations = NIOLockedValueBox(0)

    func register(with router: inout Router) {
        router.register(Self.echo) { (request: Request, _) in
            Self.response(request.service)
        }
        // "index:milliseconds" - answers with the index after sleeping.
        router.register(Self.delay) { (request: Request, _) in
            let parts = request.service.split(separator: ":")
            try await Task.sleep(for: .milliseconds(Int(parts[1]) ?? 0))
            return Self.response(String(parts[0]))
        }
        router.register(Self.hang) { [cancellations] (_: Request, _) in
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                cancellations.withLockedValue { $0 += 1 }
                throw error
            }
            return Self.response("woke up")
        }
        router.register(Self.fail) { (_: Request, _) -> Response in
            throw Rejected()
        }
        router.register(Self.whoami) { (_: Request, context) in
            Self.response("\(context.peer.commonName ?? "?") \(context.requestID) \(context.deadline == nil ? "no-deadline" : "deadline")")
        }
    }

    static func response(_ text: String) -> Response {
        var response = Response()
        response.server = text
        return response
    }

    static func request(_ text: String) -> Request {
        var request = Request()
        request.service = text
        return request
    }
}

/// A server with the test service on a free loopback port.
struct TestServer {
    let server: RPCServer
    let service: TestService

    var port: Int { server.port }

    static func start(maximumConcurrentCalls: Int = 1024) async throws -> TestServer {
        let service = TestService()
        var router = Router()
        service.register(with: &router)
        HealthService(serverName: "pingan-test", version: "test").register(with: &router)
        ReflectionService().register(with: &router)
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: 0, tls: TestCertificates.configuration(.server, identity: "server"))
        configuration.maximumConcurrentCallsPerConnection = maximumConcurrentCalls
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let server = try await RPCServer.start(configuration: configuration, router: router, logger: logger)
        return TestServer(server: server, service: service)
    }

    func connect(identity: String = "client") async throws -> RPCConnection {
        try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: identity))
    }

    /// Waits up to `limit` for `condition`, polling; returns whether it became true.
    static func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

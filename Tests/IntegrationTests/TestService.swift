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
    static let echo = MethodDescriptor(service: "test.v1.Test", method: "Echo", access: .anyRole)
    static let delay = MethodDescriptor(service: "test.v1.Test", method: "Delay", access: .anyRole)
    static let hang = MethodDescriptor(service: "test.v1.Test", method: "Hang", access: .anyRole)
    static let fail = MethodDescriptor(service: "test.v1.Test", method: "Fail", access: .anyRole)
    static let whoami = MethodDescriptor(service: "test.v1.Test", method: "Whoami", access: .anyRole)
    static let adminOnly = MethodDescriptor(service: "test.v1.Test", method: "AdminOnly", access: .only(.admin))
    static let relay = MethodDescriptor(service: "test.v1.Test", method: "Relay", access: .anyRole)
    static let count = MethodDescriptor(service: "test.v1.Test", method: "Count", kind: .serverStreaming, access: .anyRole)
    static let failAfterThree = MethodDescriptor(service: "test.v1.Test", method: "FailAfterThree", kind: .serverStreaming, access: .anyRole)
    static let sum = MethodDescriptor(service: "test.v1.Test", method: "Sum", kind: .clientStreaming, access: .anyRole)
    static let unavailable = MethodDescriptor(service: "test.v1.Test", method: "Unavailable", access: .anyRole)
    static let unavailableIdempotent = MethodDescriptor(service: "test.v1.Test", method: "UnavailableIdempotent", isIdempotent: true, access: .anyRole)

    typealias Request = Pingan_Health_V1_HealthCheckRequest
    typealias Response = Pingan_Health_V1_HealthCheckResponse

    struct Rejected: RPCErrorConvertible {
        var rpcError: RPCError { RPCError(.failedPrecondition, "volunteer.status: a withdrawn volunteer cannot be assigned") }
    }

    /// Counts handlers that saw their task cancelled.
    let cancellations = NIOLockedValueBox(0)
    /// Counts Hang and Delay handlers that have started: tests wait on it instead of sleeping.
    let started = NIOLockedValueBox(0)
    /// The time remaining that the latest Hang call was given, if it had a deadline.
    let hangTimeRemaining = NIOLockedValueBox<Duration?>(nil)
    /// Where Relay forwards its call (to Hang), with the deadline it received.
    let downstream = NIOLockedValueBox<RPCClient?>(nil)
    /// Messages Count has written so far (a write returns once the message is sent).
    let written = NIOLockedValueBox(0)
    /// Counts calls to the two Unavailable methods.
    let unavailableCalls = NIOLockedValueBox(0)

    func register(with router: inout Router) {
        router.register(Self.echo) { (request: Request, _) in
            Self.response(request.service)
        }
        // "index:milliseconds" - answers with the index after sleeping.
        router.register(Self.delay) { [started] (request: Request, _) in
            started.withLockedValue { $0 += 1 }
            let parts = request.service.split(separator: ":")
            try await Task.sleep(for: .milliseconds(Int(parts[1]) ?? 0))
            return Self.response(String(parts[0]))
        }
        router.register(Self.hang) { [cancellations, started, hangTimeRemaining] (_: Request, context) in
            hangTimeRemaining.withLockedValue { $0 = context.timeRemaining }
            started.withLockedValue { $0 += 1 }
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
        router.register(Self.whoami) { (_: Request, context) -> Response in
            let caller = context.caller.map { "\($0.role.rawValue)@\($0.unitScope ?? "*")" } ?? "anonymous"
            return Self.response("\(context.peer.commonName ?? "?") \(caller) \(context.requestID) \(context.deadline == nil ? "no-deadline" : "deadline")")
        }
        router.register(Self.adminOnly) { (_: Request, _) in
            Self.response("admin work done")
        }
        router.register(Self.relay) { [downstream] (request: Request, context) -> Response in
            guard let client = downstream.withLockedValue({ $0 }) else { throw RPCError(.failedPrecondition, "no downstream") }
            return try await client.unary(Self.hang, request, options: CallOptions(deadline: context.deadline))
        }
        // Writes request.service (a number) messages "0", "1", ...
        router.registerServerStreaming(Self.count) { [written, cancellations] (request: Request, writer: ServerStreamWriter<Response>, _) in
            do {
                for index in 0..<(Int(request.service) ?? 0) {
                    try await writer.write(Self.response("\(index)"))
                    written.withLockedValue { $0 += 1 }
                }
            } catch {
                cancellations.withLockedValue { $0 += 1 }
                throw error
            }
        }
        router.registerServerStreaming(Self.failAfterThree) { (_: Request, writer: ServerStreamWriter<Response>, _) in
            for index in 0..<3 { try await writer.write(Self.response("\(index)")) }
            throw Rejected()
        }
        // Adds up the numbers the client sends.
        router.registerClientStreaming(Self.sum) { (requests: RequestStream<Request>, _) -> Response in
            var total = 0
            var messages = 0
            for try await request in requests {
                total += Int(request.service) ?? 0
                messages += 1
            }
            return Self.response("\(messages) messages, total \(total)")
        }
        for method in [Self.unavailable, Self.unavailableIdempotent] {
            router.register(method) { [unavailableCalls] (_: Request, _) -> Response in
                unavailableCalls.withLockedValue { $0 += 1 }
                throw RPCError(.unavailable, "the registry is down")
            }
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
    let accessControl: AccessControl

    var port: Int { server.port }

    /// The test ACL: the test client is a clerk of unit JC-017; the expired and other-CA
    /// clients are listed too, so that only TLS can be what stops them.
    static func testACL() throws -> AccessControlList {
        var list = AccessControlList()
        try list.add(match: "uri:spiffe://pingan/user/town-office", caller: Caller(role: .clerk, unitScope: "JC-017", matchedBy: "town-office"))
        try list.add(match: "cn:expired-clerk", caller: Caller(role: .clerk, unitScope: "JC-001", matchedBy: "expired"))
        try list.add(match: "cn:intruder", caller: Caller(role: .admin, matchedBy: "intruder"))
        return list
    }

    static func start(
        maximumConcurrentCalls: Int = 1024, acl: AccessControlList? = nil, port: Int = 0, metrics: CallMetrics = CallMetrics(),
        configure: (inout RPCServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let service = TestService()
        var router = Router()
        service.register(with: &router)
        HealthService(serverName: "pingan-test", version: "test").register(with: &router)
        ReflectionService().register(with: &router)
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: port, tls: TestCertificates.configuration(.server, identity: "server"))
        configuration.maximumConcurrentCallsPerConnection = maximumConcurrentCalls
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let accessControl = AccessControl(try acl ?? testACL())
        let server = try await RPCServer.start(configuration: configuration, router: router, accessControl: accessControl,
                                               metrics: metrics, logger: logger)
        return TestServer(server: server, service: service, accessControl: accessControl)
    }

    func connect(identity: String = "client", configuration: RPCClientConfiguration = RPCClientConfiguration()) async throws -> RPCConnection {
        try await RPCConnection.connect(host: "127.0.0.1", port: port, tls: TestCertificates.context(.client, identity: identity),
                                        configuration: configuration)
    }

    /// Waits until `count` Hang or Delay handlers have started.
    func handlersStarted(_ count: Int) async -> Bool {
        await Self.eventually { service.started.withLockedValue { $0 } >= count }
    }

    /// Waits up to `limit` for `condition`, polling; returns whether it became true. The limit
    /// only bounds a failure: the suite runs a dozen services on two cores, so a loaded machine
    /// may take seconds to do what takes milliseconds alone.
    static func eventually(within limit: Duration = .seconds(15), _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}

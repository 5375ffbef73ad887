import PinganProtocolContracts

/// `/pingan.health.v1.Health/Check`: every server answers it. An empty `service` asks about the
/// server; a service it serves (`pingan.registry.v1.Registry`) is answered the same; any other
/// name is NOT_FOUND, so a probe for a service that is not there does not pass.
public struct HealthService: RPCService {
    public static let check = MethodDescriptor(
        service: "pingan.health.v1.Health", method: "Check", isIdempotent: true, access: .anyVerifiedPeer)

    public let serverName: String
    public let version: String
    public let startedAt: ContinuousClock.Instant
    /// Consulted on every check, so a server can report NOT_SERVING (e.g. while draining).
    public let isServing: @Sendable () -> Bool

    public init(serverName: String, version: String, startedAt: ContinuousClock.Instant = .now, isServing: @escaping @Sendable () -> Bool = { true }) {
        self.serverName = serverName
        self.version = version
        self.startedAt = startedAt
        self.isServing = isServing
    }

    /// Register after the server's own services: the services it names are the router's then.
    public func register(with router: inout Router) {
        let served = Set(router.allRoutes.map(\.descriptor.service) + [Self.check.service, ReflectionService.listMethods.service])
        router.register(Self.check) { (request: Pingan_Health_V1_HealthCheckRequest, _) in
            guard request.service.isEmpty || served.contains(request.service) else {
                throw RPCError(.notFound, "service: '\(request.service.prefix(200))' is not served here (empty asks about the server)")
            }
            var response = Pingan_Health_V1_HealthCheckResponse()
            response.status = isServing() ? .serving : .notServing
            response.server = serverName
            response.version = version
            response.uptimeSeconds = (ContinuousClock.now - startedAt).components.seconds
            return response
        }
    }
}

/// `/pingan.rpc.v1.Reflection/ListMethods`: the methods a server serves, itself included.
public struct ReflectionService: RPCService {
    public static let listMethods = MethodDescriptor(
        service: "pingan.rpc.v1.Reflection", method: "ListMethods", isIdempotent: true, access: .anyRole)

    public init() {}

    /// Register after every other service: the answer is the router as it stands then.
    public func register(with router: inout Router) {
        var listed = router.allRoutes.map(Self.info)
        listed.append(Self.info(name: Self.listMethods, request: Pingan_Rpc_V1_ListMethodsRequest.protoMessageName,
                                response: Pingan_Rpc_V1_ListMethodsResponse.protoMessageName))
        listed.sort { $0.name < $1.name }
        let methods = listed
        router.register(Self.listMethods) { (_: Pingan_Rpc_V1_ListMethodsRequest, _) in
            var response = Pingan_Rpc_V1_ListMethodsResponse()
            response.methods = methods
            return response
        }
    }

    private static func info(_ route: Router.Route) -> Pingan_Rpc_V1_MethodInfo {
        info(name: route.descriptor, request: route.requestType, response: route.responseType)
    }

    private static func info(name: MethodDescriptor, request: String, response: String) -> Pingan_Rpc_V1_MethodInfo {
        var info = Pingan_Rpc_V1_MethodInfo()
        info.name = name.fullName
        info.kind = switch name.kind {
        case .unary: .unary
        case .serverStreaming: .serverStreaming
        case .clientStreaming: .clientStreaming
        }
        info.requestType = request
        info.responseType = response
        info.idempotent = name.isIdempotent
        return info
    }
}

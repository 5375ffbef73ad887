import NIOCore
import SwiftProtobuf

/// Maps method names to typed handlers. A service registers its methods once at start-up;
/// the transport looks a route up per call.
public struct Router: Sendable {
    /// One registered method, its messages erased to bytes.
    public struct Route: Sendable {
        public var descriptor: MethodDescriptor
        public var requestType: String
        public var responseType: String
        let handle: @Sendable (ByteBuffer, ServerContext) async throws -> ByteBuffer

        /// Runs the handler and turns every way it can fail into an `RPCError`: domain errors
        /// keep their code, anything else becomes INTERNAL and is logged with its cause.
        public func invoke(_ request: ByteBuffer, context: ServerContext) async -> Result<ByteBuffer, RPCError> {
            do {
                return .success(try await handle(request, context))
            } catch let error as any RPCErrorConvertible {
                return .failure(error.rpcError)
            } catch is CancellationError {
                return .failure(RPCError(.cancelled, "the call was cancelled"))
            } catch {
                context.logger.error("handler failed", metadata: ["error": "\(error)"])
                return .failure(RPCError(.internal, "internal error (request id \(context.requestID))", cause: error))
            }
        }
    }

    private var routes: [String: Route] = [:]

    public init() {}

    /// Registers a unary method. Registering a name twice is a programming error.
    public mutating func register<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        precondition(routes[method.fullName] == nil, "\(method) registered twice")
        routes[method.fullName] = Route(
            descriptor: method,
            requestType: Request.protoMessageName,
            responseType: Response.protoMessageName,
            handle: { payload, context in
                let request = try Request(rpcPayload: payload)
                return try await handler(request, context).rpcPayload()
            }
        )
    }

    /// The route for a wire method name, or nil (the transport answers UNIMPLEMENTED).
    public func route(for method: String) -> Route? {
        routes[method]
    }

    /// Every route, ordered by name.
    public var allRoutes: [Route] {
        routes.values.sorted { $0.descriptor.fullName < $1.descriptor.fullName }
    }
}

/// A set of methods that registers itself with a router.
public protocol RPCService: Sendable {
    func register(with router: inout Router)
}

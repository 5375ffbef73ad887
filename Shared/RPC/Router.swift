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
        let handler: Handler

        enum Handler: Sendable {
            /// One request in, one response out: the fast path, no stream machinery.
            case unary(@Sendable (ByteBuffer, ServerContext) async throws -> ByteBuffer)
            /// Messages through `ServerCallIO`; returns the single response of a
            /// client-streaming call, nil for a server stream.
            case streaming(@Sendable (any ServerCallIO, ServerContext) async throws -> ByteBuffer?)
        }

        /// Runs a unary handler and turns every way it can fail into an `RPCError`: domain
        /// errors keep their code, anything else becomes INTERNAL and is logged with its cause.
        public func invoke(_ request: ByteBuffer, context: ServerContext) async -> Result<ByteBuffer, RPCError> {
            guard case .unary(let handle) = handler else {
                return .failure(RPCError(.internal, "\(descriptor) is not unary"))
            }
            if let refusal = context.gate?.refusal(for: descriptor) { return .failure(refusal) }
            return await Self.mapErrors(context) { try await handle(request, context) }
        }

        /// Runs a streaming handler over `io`; the result is the response to send before the
        /// status, if any.
        public func invokeStreaming(_ io: any ServerCallIO, context: ServerContext) async -> Result<ByteBuffer?, RPCError> {
            guard case .streaming(let handle) = handler else {
                return .failure(RPCError(.internal, "\(descriptor) is not streaming"))
            }
            if let refusal = context.gate?.refusal(for: descriptor) { return .failure(refusal) }
            return await Self.mapErrors(context) { try await handle(io, context) }
        }

        private static func mapErrors<T>(_ context: ServerContext, _ body: () async throws -> T) async -> Result<T, RPCError> {
            do {
                return .success(try await body())
            } catch let error as any RPCErrorConvertible {
                let failure = error.rpcError
                await context.denials?.recordIfDenied(failure, actor: context.actor, method: context.method.fullName, requestID: context.requestID)
                return .failure(failure)
            } catch is CancellationError {
                return .failure(RPCError(.cancelled, "the call was cancelled"))
            } catch {
                context.logger.error("handler failed", metadata: ["error": "\(error)"])
                context.gate?.handlerFailed(error)
                return .failure(RPCError(.internal, "internal error (request id \(context.requestID))", cause: error))
            }
        }
    }

    private var routes: [String: Route] = [:]
    /// Where this server's calls report denials: the transport for ACL refusals, handlers for
    /// the refusals they make, and every PERMISSION_DENIED a handler answers.
    public let denials = DenialSink()
    /// What stands before every handler: set by the host to refuse calls to a damaged store.
    public let gate = GateSlot()

    public init() {}

    /// Registers a unary method. Registering a name twice is a programming error.
    public mutating func register<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        precondition(method.kind == .unary, "\(method) is not declared unary")
        add(method, Request.self, Response.self, .unary { payload, context in
            try await handler(Request(rpcPayload: payload), context).rpcPayload()
        })
    }

    /// Registers a server-streaming method: one request, responses written as the client reads.
    public mutating func registerServerStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        _ handler: @escaping @Sendable (Request, ServerStreamWriter<Response>, ServerContext) async throws -> Void
    ) {
        precondition(method.kind == .serverStreaming, "\(method) is not declared server-streaming")
        add(method, Request.self, Response.self, .streaming { io, context in
            guard let payload = try await io.receive()?.first else {
                throw RPCError(.invalidArgument, "\(method) ended without a request message")
            }
            try await handler(Request(rpcPayload: payload), ServerStreamWriter(io), context)
            return nil
        })
    }

    /// Registers a client-streaming method: requests read as a sequence, one response.
    public mutating func registerClientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        _ handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) {
        precondition(method.kind == .clientStreaming, "\(method) is not declared client-streaming")
        add(method, Request.self, Response.self, .streaming { io, context in
            try await handler(RequestStream(io), context).rpcPayload()
        })
    }

    private mutating func add<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor, _: Request.Type, _: Response.Type, _ handler: Route.Handler
    ) {
        precondition(routes[method.fullName] == nil, "\(method) registered twice")
        routes[method.fullName] = Route(descriptor: method, requestType: Request.protoMessageName,
                                        responseType: Response.protoMessageName, handler: handler)
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

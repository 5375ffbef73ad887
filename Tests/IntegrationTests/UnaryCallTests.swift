import NIOConcurrencyHelpers
import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

@Suite("Unary calls over mutual TLS on loopback", .timeLimit(.minutes(2)))
struct UnaryCallTests {
    @Test("the handler sees the verified caller, the request id and the deadline")
    func handlerSeesCallerAndMetadata() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        var metadata = Metadata()
        metadata.requestID = "req-abc"
        let response: TestService.Response = try await connection.unary(
            TestService.whoami, TestService.request(""), options: CallOptions(timeout: .seconds(5), metadata: metadata))
        #expect(response.server == "town-office clerk@JC-017 req-abc deadline")
        await connection.close()
        await server.server.close()
    }

    @Test("1,000 concurrent calls on one connection are all answered, out of order")
    func thousandConcurrentCalls() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let completionOrder = NIOLockedValueBox<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    // Delays spread 0-49 ms so that later calls often finish first.
                    let delay = (index * 7919) % 50
                    let response: TestService.Response = try await connection.unary(
                        TestService.delay, TestService.request("\(index):\(delay)"), options: CallOptions(timeout: .seconds(30)))
                    #expect(response.server == "\(index)")
                    completionOrder.withLockedValue { $0.append(index) }
                }
            }
            try await group.waitForAll()
        }
        let order = completionOrder.withLockedValue { $0 }
        #expect(order.count == 1000)
        #expect(Set(order).count == 1000)
        #expect(order != order.sorted(), "answers should complete out of order")
        await connection.close()
        await server.server.close()
    }

    @Test("a deadline that passes fails the call and cancels the handler's task")
    func deadlineExpiry() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let started = ContinuousClock.now
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request(""), options: CallOptions(timeout: .milliseconds(200)))
        } throws: { error in
            (error as? RPCError)?.code == .deadlineExceeded
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } == 1 })
        // The connection still serves calls afterwards.
        let response: TestService.Response = try await connection.unary(TestService.echo, TestService.request("still here"))
        #expect(response.server == "still here")
        await server.server.close()
    }

    @Test("a deadline propagated from the server's side reaches the wire as time remaining")
    func serverEnforcesDeadlineItReceived() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        // A long client-side limit, but the absolute deadline is what counts.
        let deadline = ContinuousClock.now + .milliseconds(150)
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request(""), options: CallOptions(deadline: deadline, timeout: .seconds(30)))
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        await server.server.close()
    }

    @Test("a handler's downstream call inherits what is left of its deadline")
    func deadlinePropagates() async throws {
        let server = try await TestServer.start()
        let downstream = RPCClient(host: "127.0.0.1", port: server.port, tls: try TestCertificates.context(.client, identity: "client"))
        _ = try await downstream.connection()
        server.service.downstream.withLockedValue { $0 = downstream }
        let connection = try await server.connect()
        let relayed = Task {
            let _: TestService.Response = try await connection.unary(TestService.relay, TestService.request(""), options: CallOptions(timeout: .milliseconds(800)))
        }
        #expect(await server.handlersStarted(1))
        let inherited = try #require(server.service.hangTimeRemaining.withLockedValue { $0 })
        #expect(inherited > .zero && inherited < .milliseconds(800))
        await #expect { try await relayed.value } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        // The downstream Hang was cancelled by its inherited deadline, not left running for 60 s.
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } >= 1 })
        await downstream.close()
        await server.server.close()
    }

    @Test("cancelling the caller's task sends CANCEL and frees the server's work")
    func cancellation() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let call = Task {
            let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request(""))
        }
        #expect(await server.handlersStarted(1))
        call.cancel()
        await #expect { try await call.value } throws: { ($0 as? RPCError)?.code == .cancelled }
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } == 1 })
        await server.server.close()
    }

    @Test("an unknown method is UNIMPLEMENTED and names the method")
    func unknownMethod() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let missing = MethodDescriptor(service: "test.v1.Test", method: "Missing", access: .anyRole)
        await #expect {
            let _: TestService.Response = try await connection.unary(missing, TestService.request(""))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unimplemented
                && error.message == "method /test.v1.Test/Missing is not served here; /pingan.rpc.v1.Reflection/ListMethods lists what is"
        }
        await server.server.close()
    }

    @Test("a domain error reaches the caller with its code and message")
    func domainError() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.fail, TestService.request(""))
        } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .failedPrecondition && error.message == "volunteer.status: a withdrawn volunteer cannot be assigned"
        }
        await server.server.close()
    }

    @Test("calls beyond the per-connection limit are refused, the others go on")
    func concurrencyLimit() async throws {
        let server = try await TestServer.start(maximumConcurrentCalls: 3)
        let connection = try await server.connect()
        let hung = (0..<3).map { _ in
            Task { let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request("")) }
        }
        #expect(await server.handlersStarted(3))
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request("one too many"))
        } throws: { ($0 as? RPCError)?.code == .resourceExhausted }
        hung.forEach { $0.cancel() }
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } == 3 })
        let response: TestService.Response = try await connection.unary(TestService.echo, TestService.request("room again"))
        #expect(response.server == "room again")
        await server.server.close()
    }

    @Test("a dropped connection fails the calls in flight with UNAVAILABLE")
    func droppedConnection() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let call = Task {
            let _: TestService.Response = try await connection.unary(TestService.hang, TestService.request(""))
        }
        #expect(await server.handlersStarted(1))
        await server.server.close()
        await #expect { try await call.value } throws: { error in
            guard let error = error as? RPCError else { return false }
            return error.code == .unavailable && error.message.hasPrefix("connection lost")
        }
        // New calls on the dead connection fail at once, not hang.
        await #expect {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request(""))
        } throws: { ($0 as? RPCError)?.code == .unavailable }
    }

    @Test("every server answers Health/Check and lists its methods")
    func healthAndReflection() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let health: Pingan_Health_V1_HealthCheckResponse = try await connection.unary(HealthService.check, Pingan_Health_V1_HealthCheckRequest())
        #expect(health.status == .serving)
        #expect(health.server == "pingan-test")
        let methods: Pingan_Rpc_V1_ListMethodsResponse = try await connection.unary(ReflectionService.listMethods, Pingan_Rpc_V1_ListMethodsRequest())
        #expect(methods.methods.map(\.name).contains("/test.v1.Test/Echo"))
        #expect(methods.methods.map(\.name).contains("/pingan.health.v1.Health/Check"))
        await server.server.close()
    }
}

import NIOCore
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import PinganWire
import Testing

@Suite("Streaming calls with flow control", .timeLimit(.minutes(2)))
struct StreamingTests {
    @Test("a server stream delivers every message in order, then ends")
    func serverStreamInOrder() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let stream: ResponseStream<TestService.Response> = try await connection.serverStreaming(TestService.count, TestService.request("1000"))
        var expected = 0
        for try await message in stream {
            #expect(message.server == "\(expected)")
            expected += 1
        }
        #expect(expected == 1000)
        await server.server.close()
    }

    @Test("a reader that stops in the middle of a million-message stream stops the writer at the window; reading resumes it")
    func slowReaderBackpressure() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let stream: ResponseStream<TestService.Response> = try await connection.serverStreaming(TestService.count, TestService.request("1000000"))
        var iterator = stream.makeAsyncIterator()
        for _ in 0..<200 { _ = try await iterator.next() }

        // The reader pauses: the writer may run at most one window ahead of it, and stays there.
        try await Task.sleep(for: .milliseconds(300))
        let whilePaused = server.service.written.withLockedValue { $0 }
        #expect(whilePaused <= 200 + FlowControl.initialWindow)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.service.written.withLockedValue { $0 } == whilePaused)

        for index in 200..<10_200 {
            #expect(try await iterator.next()?.server == "\(index)")
        }
        #expect(server.service.written.withLockedValue { $0 } >= 10_200)

        // Dropping the stream cancels the call, and the handler's pending write fails.
        iterator = stream.makeAsyncIterator()
        _ = consume iterator
        await server.server.close()
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } >= 1 })
    }

    @Test("cancelling the reading task cancels the server's handler")
    func cancellingAStream() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let reader = Task {
            let stream: ResponseStream<TestService.Response> = try await connection.serverStreaming(TestService.count, TestService.request("1000000"))
            for try await _ in stream {}
        }
        #expect(await TestServer.eventually { server.service.written.withLockedValue { $0 } > 100 })
        reader.cancel()
        await #expect { try await reader.value } throws: { ($0 as? RPCError)?.code == .cancelled }
        #expect(await TestServer.eventually { server.service.cancellations.withLockedValue { $0 } == 1 })
        #expect(server.service.written.withLockedValue { $0 } < 1_000_000)
        await server.server.close()
    }

    @Test("messages before a server's error are delivered, then the error")
    func errorAfterMessages() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let stream: ResponseStream<TestService.Response> = try await connection.serverStreaming(TestService.failAfterThree, TestService.request(""))
        var received: [String] = []
        await #expect {
            for try await message in stream { received.append(message.server) }
        } throws: { ($0 as? RPCError)?.code == .failedPrecondition }
        #expect(received == ["0", "1", "2"])
        await server.server.close()
    }

    @Test("a deadline ends a stream that is still being read")
    func deadlineDuringStream() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let stream: ResponseStream<TestService.Response> = try await connection.serverStreaming(
            TestService.count, TestService.request("1000000"), options: CallOptions(timeout: .milliseconds(300)))
        await #expect {
            for try await _ in stream { try await Task.sleep(for: .milliseconds(10)) }
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        await server.server.close()
    }

    @Test("a client stream longer than the window is received whole")
    func clientStream() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let response: TestService.Response = try await connection.clientStreaming(TestService.sum) { writer in
            for value in 1...10_000 {
                try await writer.write(TestService.request("\(value)"))
            }
        }
        #expect(response.server == "10000 messages, total 50005000")
        let empty: TestService.Response = try await connection.clientStreaming(TestService.sum) { (_: RequestStreamWriter<TestService.Request>) in }
        #expect(empty.server == "0 messages, total 0")
        await server.server.close()
    }

    @Test("messages written in batches larger than the window go as credit comes, in order, each batch waiting for its last")
    func clientStreamInBatches() async throws {
        let server = try await TestServer.start()
        let connection = try await server.connect()
        let response: TestService.Response = try await connection.clientStreaming(TestService.sum) { writer in
            for start in stride(from: 1, through: 10_000, by: 1_000) {
                try await writer.write(contentsOf: (start..<(start + 1_000)).map { TestService.request("\($0)") })
            }
            try await writer.write(contentsOf: [TestService.Request]())
        }
        #expect(response.server == "10000 messages, total 50005000")
        await server.server.close()
    }

    @Test("a client that sends beyond its credit is cut off with a protocol error")
    func creditViolation() async throws {
        let server = try await TestServer.start()
        var bytes = CallBytes.preface
        var buffer = ByteBuffer()
        FrameEncoder.writeFrame(.headers, callID: 1, into: &buffer) { CallHeaders(method: "/test.v1.Test/Sum").write(into: &$0) }
        for _ in 0...FlowControl.initialWindow {
            FrameEncoder.writeFrame(.message, callID: 1, payload: ByteBuffer(bytes: [0x0A, 0x01, 0x31]), into: &buffer)
        }
        bytes += Array(buffer.readableBytesView)
        let received = try await RawTLSClient.exchange(port: server.port, bytes: bytes)
        guard case .frame(let last) = try RawTLSClient.events(in: received).last, last.type == .goAway else {
            Issue.record("expected a GOAWAY"); return
        }
        #expect(try GoAway.read(from: last.payload).message == "call 1 sent a message beyond the credit it was granted")
        await server.server.close()
    }
}

import PinganProtocolContracts
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import PinganTLS
import PinganWire
import Testing

@Suite("Hostile and broken peers", .timeLimit(.minutes(2)))
struct HostileInputTests {
    /// A healthy connection that must keep working while another misbehaves.
    static func expectStillServing(_ connection: RPCConnection) async throws {
        let response: TestService.Response = try await connection.unary(TestService.echo, TestService.request("ok"))
        #expect(response.server == "ok")
    }

    @Test("a malformed frame ends only that connection, with a protocol-error GOAWAY")
    func malformedFrameGetsGoAway() async throws {
        let server = try await TestServer.start()
        let bystander = try await server.connect()
        let bytes = CallBytes.preface + CallBytes.unary(callID: 1, method: "/test.v1.Test/Echo", request: [])
            + [0, 0, 0, 0, 0x09, 0, 0, 0, 0, 2]  // frame type 9 does not exist
        let received = try await RawTLSClient.exchange(port: server.port, bytes: bytes)
        let events = try RawTLSClient.events(in: received)
        #expect(events.first == .preface(version: 1))
        guard case .frame(let last) = events.last, last.type == .goAway else {
            Issue.record("expected a GOAWAY last, got \(events)"); return
        }
        let goAway = try GoAway.read(from: last.payload)
        #expect(goAway.errorCode == .protocolError)
        #expect(goAway.message == "frame type 0x9 is not defined")
        #expect(goAway.lastCallID == 1)
        try await Self.expectStillServing(bystander)
        await server.server.close()
    }

    @Test("a wrong protocol version is refused with UNSUPPORTED_VERSION")
    func wrongVersion() async throws {
        let server = try await TestServer.start()
        let received = try await RawTLSClient.exchange(port: server.port, bytes: Array("PINGAN".utf8) + [0, 9])
        let events = try RawTLSClient.events(in: received)
        guard case .frame(let frame) = events.last else { Issue.record("no GOAWAY in \(events)"); return }
        let goAway = try GoAway.read(from: frame.payload)
        #expect(goAway.errorCode == .unsupportedVersion)
        #expect(goAway.message == "protocol version 9 is not supported; this side speaks version 1")
        await server.server.close()
    }

    @Test("a call id used twice ends the connection")
    func callIDReuse() async throws {
        let server = try await TestServer.start()
        let call = CallBytes.unary(callID: 3, method: "/test.v1.Test/Echo", request: [])
        let received = try await RawTLSClient.exchange(port: server.port, bytes: CallBytes.preface + call + call)
        guard case .frame(let frame) = try RawTLSClient.events(in: received).last, frame.type == .goAway else {
            Issue.record("expected GOAWAY"); return
        }
        #expect(try GoAway.read(from: frame.payload).message == "call id 3 is not above the last one used on this connection (3)")
        await server.server.close()
    }

    @Test("a peer that disconnects in the middle of a frame leaves the server serving")
    func disconnectMidFrame() async throws {
        let server = try await TestServer.start()
        let bystander = try await server.connect()
        let call = CallBytes.unary(callID: 1, method: "/test.v1.Test/Hang", request: [])
        for cut in [1, 5, 11, call.count - 1] {
            _ = try await RawTLSClient.exchange(port: server.port, bytes: CallBytes.preface + call.prefix(cut), hangUp: true)
        }
        try await Self.expectStillServing(bystander)
        let fresh = try await server.connect()
        try await Self.expectStillServing(fresh)
        await server.server.close()
    }

    @Test("plaintext sent to the TLS port is dropped without affecting others")
    func plaintextToTLSPort() async throws {
        let server = try await TestServer.start()
        let bystander = try await server.connect()
        let received = try await RawTLSClient.exchange(
            port: server.port, bytes: CallBytes.preface + CallBytes.unary(callID: 1, method: "/test.v1.Test/Echo", request: []), tls: false)
        // The server answers with at most a TLS alert record, never a Pingan frame.
        #expect(received.isEmpty || received.first == 0x15)
        try await Self.expectStillServing(bystander)
        await server.server.close()
    }

    @Test("a client certificate from another CA cannot connect; OpenSSL's reason is reported", arguments: [
        ("other-client", "unknown ca"), ("expired-client", "certificate expired"),
    ])
    func rejectedClients(_ identity: String, _ reason: String) async throws {
        let server = try await TestServer.start()
        await #expect {
            _ = try await server.connect(identity: identity)
        } throws: { error in
            "\(error)".contains(reason)
        }
        try await Self.expectStillServing(try await server.connect())
        await server.server.close()
    }

    @Test("the client refuses a server certificate for another host")
    func wrongServerName() async throws {
        let server = try await TestServer.start()
        await #expect {
            _ = try await RPCConnection.connect(host: "127.0.0.1", port: server.port, tls: TestCertificates.context(.client, identity: "client"),
                                                serverName: "registry.pingan.example")
        } throws: { "\($0)".contains("hostname mismatch") }
        await server.server.close()
    }
}

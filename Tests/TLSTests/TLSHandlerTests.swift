import Foundation
import NIOCore
import NIOEmbedded
import PinganTestSupport
import PinganTLS
import Testing

@Suite("TLS handler over OpenSSL memory BIOs")
struct TLSHandlerTests {
    static func server(_ identity: String = "server") throws -> TLSContext { try TestCertificates.context(.server, identity: identity) }
    static func client(_ identity: String = "client") throws -> TLSContext { try TestCertificates.context(.client, identity: identity) }

    @Test("mutual TLS 1.3 completes and each side learns the other's verified identity")
    func mutualHandshake() throws {
        let pair = try TLSPair(client: Self.client(), server: Self.server())
        try pair.connect()
        let serverSaw = try #require(pair.serverEvents.handshake)
        let clientSaw = try #require(pair.clientEvents.handshake)
        #expect(serverSaw.protocolVersion == "TLSv1.3")
        #expect(serverSaw.peer.commonName == "town-office")
        #expect(serverSaw.peer.uris == ["spiffe://pingan/user/town-office"])
        #expect(clientSaw.peer.commonName == "pingan-test-server")
        #expect(clientSaw.peer.dnsNames == ["localhost"])
        #expect(clientSaw.peer.uris == ["spiffe://pingan/service/test"])
        #expect(serverSaw.peer.fingerprint == Self.opensslFingerprint(of: "client.pem"))
    }

    @Test("plaintext flows both ways, including a write larger than a TLS record")
    func dataBothWays() throws {
        let pair = try TLSPair(client: Self.client(), server: Self.server())
        try pair.connect()
        let large = ByteBuffer(bytes: (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try pair.client.writeOutbound(large)
        try pair.server.writeOutbound(ByteBuffer(string: "答复"))
        try pair.exchange()
        #expect(pair.serverEvents.plaintext == large)
        #expect(pair.clientEvents.plaintext == ByteBuffer(string: "答复"))
    }

    @Test("writes made before the handshake completes are sent after it")
    func writesBeforeHandshakeAreHeld() throws {
        let pair = try TLSPair(client: Self.client(), server: Self.server())
        try pair.server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try pair.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        pair.client.writeAndFlush(ByteBuffer(string: "PINGAN\u{0}\u{1}"), promise: nil)
        try pair.exchange()
        #expect(pair.serverEvents.plaintext == ByteBuffer(string: "PINGAN\u{0}\u{1}"))
    }

    @Test("a client certificate from another CA is rejected with OpenSSL's reason")
    func rejectsOtherCA() throws {
        let pair = try TLSPair(client: Self.client("other-client"), server: Self.server())
        try pair.connect()
        #expect(pair.serverEvents.errors == [TLSError(.peerCertificateRejected, "peer certificate rejected: unable to get local issuer certificate")])
        #expect(pair.serverEvents.handshake == nil)
        #expect(!pair.server.isActive)
        // TLS 1.3: the client finished first and learns of the rejection from the alert.
        #expect(pair.clientEvents.errors.first?.kind == .rejectedByPeer)
        #expect(pair.clientEvents.errors.first?.reason.contains("unknown ca") == true)
    }

    @Test func rejectsExpiredClientCertificate() throws {
        let pair = try TLSPair(client: Self.client("expired-client"), server: Self.server())
        try pair.connect()
        #expect(pair.serverEvents.errors == [TLSError(.peerCertificateRejected, "peer certificate rejected: certificate has expired")])
        #expect(pair.clientEvents.errors.first?.reason.contains("certificate expired") == true)
    }

    @Test("the client refuses a server whose certificate names another host", arguments: ["localhost", "127.0.0.1"])
    func rejectsWrongHostName(_ name: String) throws {
        let pair = try TLSPair(client: Self.client(), server: Self.server("elsewhere-server"), serverName: name)
        try pair.connect()
        let expected = name == "localhost" ? "hostname mismatch" : "IP address mismatch"
        #expect(pair.clientEvents.errors == [TLSError(.peerCertificateRejected, "peer certificate rejected: \(expected)")])
        #expect(pair.serverEvents.errors.first?.kind == .rejectedByPeer)
        #expect(!pair.client.isActive)
    }

    @Test("plaintext sent to the TLS side fails the handshake and closes the connection")
    func rejectsPlaintext() throws {
        let server = EmbeddedChannel()
        let events = EventRecorder()
        try server.pipeline.syncOperations.addHandlers([TLSHandler(context: Self.server()), events])
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try server.writeInbound(ByteBuffer(string: "PINGAN\u{0}\u{1}\u{0}\u{0}\u{0}\u{0}"))
        #expect(events.errors.first?.kind == .handshakeFailed)
        #expect(events.errors.first?.reason == "wrong version number")
        #expect(!server.isActive)
    }

    @Test("a peer that never completes the handshake is closed when the timeout passes")
    func handshakeTimeout() throws {
        var configuration = TestCertificates.configuration(.server, identity: "server")
        configuration.handshakeTimeout = .seconds(5)
        let server = EmbeddedChannel()
        let events = EventRecorder()
        try server.pipeline.syncOperations.addHandlers([TLSHandler(context: TLSContext(configuration: configuration)), events])
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        server.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(server.isActive)
        server.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(events.errors == [TLSError(.handshakeTimeout, "no TLS handshake completed within 5.0 seconds")])
        #expect(!server.isActive)
    }

    @Test("close sends close_notify and the peer closes in turn")
    func cleanClose() throws {
        let pair = try TLSPair(client: Self.client(), server: Self.server())
        try pair.connect()
        pair.client.close(promise: nil)
        let notify = try #require(try pair.client.readOutbound(as: ByteBuffer.self))
        try pair.server.writeInbound(notify)
        #expect(!pair.server.isActive)
        #expect(pair.serverEvents.errors.isEmpty)
    }

    @Test("a peer that drops the connection mid-handshake is reported")
    func closedDuringHandshake() throws {
        let server = EmbeddedChannel()
        let events = EventRecorder()
        try server.pipeline.syncOperations.addHandlers([TLSHandler(context: Self.server()), events])
        try server.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        server.pipeline.fireChannelInactive()
        #expect(events.errors.first?.kind == .closedDuringHandshake)
    }

    @Test("a missing key file is a configuration error naming the file")
    func missingKeyFile() {
        let configuration = TLSConfiguration(role: .server, certificateChainPath: TestCertificates.path("server.pem"),
                                             privateKeyPath: "/nonexistent/server.key", trustRootsPath: TestCertificates.path("ca.pem"))
        #expect {
            try TLSContext(configuration: configuration)
        } throws: { error in
            guard let error = error as? TLSError else { return false }
            return error.kind == .configuration && error.reason.hasPrefix("cannot load private key from /nonexistent/server.key")
        }
    }

    @Test("a key that does not match the certificate is refused")
    func mismatchedKey() {
        let configuration = TLSConfiguration(role: .server, certificateChainPath: TestCertificates.path("server.pem"),
                                             privateKeyPath: TestCertificates.path("client.key"), trustRootsPath: TestCertificates.path("ca.pem"))
        #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
    }

    static func opensslFingerprint(of file: String) -> String {
        let result = try? Subprocess.runBlocking("/usr/bin/openssl", ["x509", "-in", TestCertificates.path(file), "-noout", "-fingerprint", "-sha256"],
                                         timeout: .seconds(10))
        return (result?.text ?? "").split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased() }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}

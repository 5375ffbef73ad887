import Foundation
import NIOCore
import PinganProtocolContracts
import PinganRPC
import PinganTestSupport
import PinganWire
import Testing

/// Peers we did not write talk to our server: `openssl s_client` and Python's ssl module.
@Suite("Interop with openssl s_client and Python ssl", .timeLimit(.minutes(2)))
struct PeerInteropTests {
    static let healthCall = CallBytes.preface + CallBytes.unary(callID: 1, method: "/pingan.health.v1.Health/Check", request: [])

    static func sClient(port: Int, extra: [String], input: [UInt8]) async throws -> Subprocess.Result {
        try await Subprocess.run("/usr/bin/openssl", [
            "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", TestCertificates.path("ca.pem"),
            "-verify_return_error", "-verify_ip", "127.0.0.1", "-quiet", "-no_ign_eof", "-nocommands",
        ] + extra, input: Data(input), closeInputAfter: .milliseconds(1500), timeout: .seconds(20))
    }

    @Test("openssl s_client with a client certificate gets a valid Health/Check answer")
    func sClientHealthCheck() async throws {
        let server = try await TestServer.start()
        let result = try await Self.sClient(port: server.port, extra: [
            "-cert", TestCertificates.path("client.pem"), "-key", TestCertificates.path("client.key"),
        ], input: Self.healthCall)
        let events = try RawTLSClient.events(in: Array(result.standardOutput))
        #expect(events.first == .preface(version: 1), "stderr: \(result.standardError)")
        guard events.count == 3, case .frame(let message) = events[1], case .frame(let status) = events[2] else {
            Issue.record("expected MESSAGE and STATUS, got \(events)"); return
        }
        #expect(try CallStatus.read(from: status.payload).code == 0)
        let health = try Pingan_Health_V1_HealthCheckResponse(payload: message.payload)
        #expect(health.status == .serving)
        await server.server.close()
    }

    @Test("openssl s_client without a client certificate is refused")
    func sClientWithoutCertificate() async throws {
        let server = try await TestServer.start()
        let result = try await Self.sClient(port: server.port, extra: [], input: Self.healthCall)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("certificate required"), "\(result.standardError)")
        await server.server.close()
    }

    @Test("a TLS 1.2 offer is refused when 1.3 is required")
    func sClientTLS12() async throws {
        let server = try await TestServer.start()
        let result = try await Self.sClient(port: server.port, extra: [
            "-tls1_2", "-cert", TestCertificates.path("client.pem"), "-key", TestCertificates.path("client.key"),
        ], input: Self.healthCall)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("protocol version"), "\(result.standardError)")
        await server.server.close()
    }

    static func python(port: Int, _ flags: [String] = []) async throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/health_check.py").path
        let result = try await Subprocess.run("/usr/bin/env", ["python3", script, "127.0.0.1", "\(port)", TestCertificates.path("ca.pem"),
                                                         TestCertificates.path("client.pem"), TestCertificates.path("client.key")] + flags,
                                        timeout: .seconds(30))
        return (try JSONSerialization.jsonObject(with: result.standardOutput)) as? [String: Any] ?? ["error": result.standardError]
    }

    @Test("Python's ssl module, following PROTOCOL.md, completes a Health/Check")
    func pythonHealthCheck() async throws {
        let server = try await TestServer.start()
        let answer = try await Self.python(port: server.port)
        #expect(answer["preface"] as? String == "PINGAN")
        #expect(answer["version"] as? Int == 1)
        #expect(answer["status_code"] as? Int == 0, "\(answer)")
        #expect(answer["tls_version"] as? String == "TLSv1.3")
        let hex = try #require(answer["response_hex"] as? String)
        let bytes = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        #expect(try Pingan_Health_V1_HealthCheckResponse(serializedBytes: bytes).server == "pingan-test")
        await server.server.close()
    }

    @Test("Python without a client certificate, or limited to TLS 1.2, is refused", arguments: ["--no-cert", "--tls12"])
    func pythonRefused(_ flag: String) async throws {
        let server = try await TestServer.start()
        let answer = try await Self.python(port: server.port, [flag])
        #expect(answer["status_code"] == nil)
        #expect(answer["error"] != nil, "\(answer)")
        await server.server.close()
    }

    @Test("the Python client in Tests/Interop, written from PROTOCOL.md, passes its checks")
    func pythonInteropClient() async throws {
        let server = try await TestServer.start()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Interop/pingan_client.py").standardized.path
        let result = try await Subprocess.run("/usr/bin/env", ["python3", script, "127.0.0.1", "\(server.port)", TestCertificates.path("ca.pem"),
                                                               TestCertificates.path("client.pem"), TestCertificates.path("client.key")],
                                              timeout: .seconds(60))
        #expect(result.status == 0, "\(result.text) \(result.standardError)")
        let seen = (try? JSONSerialization.jsonObject(with: result.standardOutput)) as? [String: Any] ?? [:]
        #expect(seen["stream_messages"] as? Int == 200)
        #expect(seen["ok"] as? Bool == true)
        await server.server.close()
    }
}

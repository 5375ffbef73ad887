import Foundation
import PinganTestSupport
import Testing

/// A real service under systemd's notify protocol, with a test socket in systemd's place.
@Suite("Services under Type=notify", .timeLimit(.minutes(1)))
struct SystemdIntegrationTests {
    @Test("READY=1 only once listening (the database migrated), watchdog pings while serving, STOPPING=1 when SIGTERM starts the drain")
    func readyWatchdogStopping() async throws {
        let socket = try NotifySocket()
        let tls = ["--cert", TestCertificates.path("server.pem"), "--key", TestCertificates.path("server.key"), "--ca", TestCertificates.path("ca.pem")]
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("pingan-finance-\(UUID()).sqlite").path
        let process = try RunningProcess(try BuiltExecutables.path("pingan-finance"),
                                         ["--port", "0", "--acl", ExecutableTests.aclFile(TrainingIntegrationTests.registryACL), "--database", database,
                                          "--peer", "duty=127.0.0.1:1"] + tls,
                                         environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"])
        defer { process.kill() }
        let ready = await socket.collect(within: .seconds(20)) { $0.hasPrefix("READY=1") }
        #expect(ready.last?.hasPrefix("READY=1") == true, "\(ready) \(process.output)")
        #expect(process.output.contains("listening"), "READY=1 comes after the listener is up")
        let pings = await socket.collect(within: .seconds(1)) { _ in false }
        #expect(pings.count(where: { $0 == "WATCHDOG=1" }) >= 3, "pings every 200 ms: \(pings)")
        process.signal(SIGTERM)
        let stopping = await socket.collect(within: .seconds(10)) { $0.hasPrefix("STOPPING=1") }
        #expect(stopping.last?.hasPrefix("STOPPING=1") == true, "\(stopping)")
        #expect(try await process.waitForExit(within: .seconds(20)) == 0)
    }
}

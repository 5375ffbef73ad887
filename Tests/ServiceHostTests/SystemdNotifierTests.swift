import Foundation
import NIOPosix
import PinganServiceHost
import PinganTestSupport
import Testing

@Suite("systemd notify and watchdog", .timeLimit(.minutes(1)))
struct SystemdNotifierTests {
    @Test("silent without NOTIFY_SOCKET; a datagram per state with it; the watchdog interval is half WATCHDOG_USEC, and only for this process")
    func protocolBasics() throws {
        #expect(SystemdNotifier(environment: [:]).notify("READY=1") == false)
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.notify("READY=1\nSTATUS=serving"))
        #expect(socket.receive() == "READY=1\nSTATUS=serving")
        #expect(notifier.watchdogInterval == .seconds(1))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil, "another process's watchdog")
    }

    @Test("the watchdog is pinged while the event loops run, and stops while one is wedged")
    func wedgedLoopStopsPings() async throws {
        let socket = try NotifySocket()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "100000"])
        let pings = try #require(notifier.keepAlive(group))
        defer { pings.cancel() }
        let healthy = await socket.collect(within: .seconds(1)) { _ in false }
        #expect(healthy.count(where: { $0 == "WATCHDOG=1" }) >= 5, "pings every 50 ms: \(healthy.count)")

        // Wedge one loop for 1.5 s: no ping may arrive meanwhile.
        let wedged = group.next().submit { Thread.sleep(forTimeInterval: 1.5) }
        try await Task.sleep(for: .milliseconds(150))
        _ = await socket.collect(within: .milliseconds(100)) { _ in false }  // pings sent before the wedge
        let during = await socket.collect(within: .milliseconds(1000)) { _ in false }
        #expect(during.isEmpty, "pings while a loop was wedged: \(during)")
        try await wedged.get()
        let after = await socket.collect(within: .seconds(2)) { $0 == "WATCHDOG=1" }
        #expect(after.contains("WATCHDOG=1"), "pings resume once the loop runs again")
        try await group.shutdownGracefully()
    }
}

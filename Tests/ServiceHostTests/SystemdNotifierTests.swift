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
        let seen = Locked(0)
        let healthy = await socket.collect(within: .seconds(10)) { message in
            if message == "WATCHDOG=1" { seen.value += 1 }
            return seen.value >= 3
        }
        #expect(healthy.count(where: { $0 == "WATCHDOG=1" }) >= 3, "\(healthy)")

        // Wedge one loop until released. A round already past it may still ping once; after
        // that none may come, where a healthy service pings every 50 ms.
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let wedged = group.next().submit {
            started.signal()
            release.wait()
        }
        await withCheckedContinuation { continuation in Thread.detachNewThread { started.wait(); continuation.resume() } }
        let during = await socket.collect(within: .milliseconds(1500)) { _ in false }
        #expect(during.count(where: { $0 == "WATCHDOG=1" }) <= 1, "pings while a loop was wedged: \(during)")
        release.signal()
        try await wedged.get()
        let after = await socket.collect(within: .seconds(10)) { $0 == "WATCHDOG=1" }
        #expect(after.contains("WATCHDOG=1"), "pings resume once the loop runs again")
        try await group.shutdownGracefully()
    }
}

import Foundation
import NIOCore
import NIOPosix

/// systemd's readiness protocol spoken directly (no libsystemd): one datagram per state to the
/// unix socket named by NOTIFY_SOCKET. Without that variable (not run by systemd) it is silent.
public struct SystemdNotifier: Sendable {
    /// The socket's address; nil when not run under `Type=notify`.
    let path: String?
    /// Half the unit's WatchdogSec, when systemd asks for keep-alive pings of this process.
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        if forUs, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            watchdogInterval = .microseconds(Int64(usec / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends `state` ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=..."; several joined by
    /// newlines). Returns whether it was delivered; a failure is never fatal to the service.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let path else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // "@name" is an abstract socket: a leading NUL in place of the "@".
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), socketAddress, length)
            }
        }
        return sent == message.count
    }

    /// Pings the watchdog for as long as every event loop of `group` runs a task within the
    /// interval: a wedged loop stops the pings, and systemd restarts the service. Returns nil
    /// when systemd asked for no watchdog.
    public func keepAlive(_ group: any EventLoopGroup) -> Task<Void, Never>? {
        guard let interval = watchdogInterval else { return nil }
        return Task {
            while !Task.isCancelled {
                // A wedged loop never runs this, so the await never returns and the pings stop.
                for loop in group.makeIterator() { try? await loop.submit {}.get() }
                notify("WATCHDOG=1")
                try? await Task.sleep(for: interval)
            }
        }
    }
}

import Foundation

/// A unix datagram socket standing in for systemd's notify socket.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    let fd: Int32

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8))").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil after 200 ms without one.
    public func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    /// Every datagram until `condition` holds for one or `limit` passes. It waits on a thread
    /// of its own: blocking the few cooperative threads would starve what it listens to.
    public func collect(within limit: Duration, until condition: @escaping @Sendable (String) -> Bool) async -> [String] {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let end = ContinuousClock.now + limit
                var messages: [String] = []
                while ContinuousClock.now < end {
                    guard let message = self.receive() else { continue }
                    messages.append(message)
                    if condition(message) { break }
                }
                continuation.resume(returning: messages)
            }
        }
    }
}

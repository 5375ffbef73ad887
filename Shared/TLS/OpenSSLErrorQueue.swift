import COpenSSL

/// OpenSSL keeps errors in a per-thread queue: clear it before a call and drain it right after,
/// on the same thread, or reasons from one connection leak into another's report.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Every queued reason, oldest first, joined with "; " (empty if the queue is empty).
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                var buffer = [CChar](repeating: 0, count: 256)
                ERR_error_string_n(code, &buffer, buffer.count)
                reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return reasons.joined(separator: "; ")
    }
}

import CoreMetrics
import PinganRPC
import Synchronization

/// Per-method call counts (by status code) and latencies, through swift-metrics:
/// `pingan_rpc_server_calls_total{method,code}` and
/// `pingan_rpc_server_call_duration_seconds{method}`.
///
/// Metric objects are made once per method and code and cached: the factory lookup is not free
/// and calls are the hot path. Only methods the server serves get their own label; anything else
/// is counted as "unknown", so a peer sending random names cannot grow the metrics without bound.
public final class CallMetrics: Sendable {
    private struct Key: Hashable {
        var method: String
        var code: UInt8
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[String: Timer]>([:])

    /// - Parameter factory: where the metrics go; the process-wide `MetricsSystem` by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records a call that ended with `code` after `duration`. `method` is nil for a method
    /// name the server does not serve.
    public func record(method: String?, code: RPCError.Code, duration: Duration) {
        let name = method ?? "unknown"
        let key = Key(method: name, code: code.rawValue)
        let counter = counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(label: "pingan_rpc_server_calls_total", dimensions: [("method", name), ("code", "\(code)")], factory: factory)
            cache[key] = counter
            return counter
        }
        counter.increment()
        let timer = timers.withLock { cache in
            if let timer = cache[name] { return timer }
            let timer = Timer(label: "pingan_rpc_server_call_duration_seconds", dimensions: [("method", name)], factory: factory)
            cache[name] = timer
            return timer
        }
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}

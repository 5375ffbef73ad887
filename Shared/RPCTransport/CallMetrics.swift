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
    /// One method's metric objects: its timer, and a counter per status code made on first use.
    private struct MethodMetrics {
        var timer: Timer
        var counters: [Counter?]
    }

    private let factory: any MetricsFactory
    /// One lock and one look-up per call.
    private let methods = Mutex<[String: MethodMetrics]>([:])

    /// - Parameter factory: where the metrics go; the process-wide `MetricsSystem` by default.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records a call that ended with `code` after `duration`. `method` is nil for a method
    /// name the server does not serve.
    public func record(method: String?, code: RPCError.Code, duration: Duration) {
        let name = method ?? "unknown"
        let index = Int(code.rawValue)
        let (counter, timer) = methods.withLock { cache in
            var entry = cache[name] ?? MethodMetrics(
                timer: Timer(label: "pingan_rpc_server_call_duration_seconds", dimensions: [("method", name)], factory: factory), counters: [])
            if let counter = entry.counters.indices.contains(index) ? entry.counters[index] : nil {
                return (counter, entry.timer)
            }
            let counter = Counter(label: "pingan_rpc_server_calls_total", dimensions: [("method", name), ("code", "\(code)")], factory: factory)
            if entry.counters.count <= index { entry.counters += Array(repeating: nil, count: index + 1 - entry.counters.count) }
            entry.counters[index] = counter
            cache[name] = entry
            return (counter, entry.timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}

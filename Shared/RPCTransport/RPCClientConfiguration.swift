import PinganWire

/// How a client connects, keeps its connection alive and retries.
public struct RPCClientConfiguration: Sendable {
    /// Time for TCP, TLS and the server's preface together.
    public var connectTimeout: Duration = .seconds(10)
    /// What the client accepts from the server.
    public var limits = WireLimits()
    /// The largest request message sent; a larger one fails at once with RESOURCE_EXHAUSTED
    /// instead of costing the connection (the server's limit is 4 MiB by default).
    public var maximumRequestSize = 4 * 1024 * 1024
    /// After this long without hearing from the server, send a PING; nil turns keepalive off.
    public var keepaliveInterval: Duration? = .seconds(30)
    /// A PING not answered within this closes the connection; its calls fail with UNAVAILABLE.
    public var keepaliveTimeout: Duration = .seconds(10)
    /// Attempts per call (`RPCClient`): a connection that cannot be made, or a call the server
    /// did not process, is always retried; other UNAVAILABLE failures only for idempotent methods.
    public var maximumAttempts = 5
    /// The wait before the second attempt; it doubles each time up to `maximumBackoff`, and
    /// each wait is drawn uniformly from [half, all] of that (jitter).
    public var initialBackoff: Duration = .milliseconds(50)
    public var maximumBackoff: Duration = .seconds(5)

    public init(connectTimeout: Duration = .seconds(10)) {
        self.connectTimeout = connectTimeout
    }

    /// The jittered wait before attempt `attempt + 1` (attempt counts from 1).
    func backoff(after attempt: Int) -> Duration {
        let doubled = initialBackoff * (1 << min(attempt - 1, 20))
        let ceiling = min(doubled, maximumBackoff)
        let nanoseconds = Double(ceiling.components.seconds) * 1e9 + Double(ceiling.components.attoseconds) / 1e9
        return .nanoseconds(Int64(nanoseconds * Double.random(in: 0.5...1.0)))
    }
}

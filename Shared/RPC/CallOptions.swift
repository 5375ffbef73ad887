/// Per-call settings on the client.
public struct CallOptions: Sendable {
    /// Absolute deadline; a handler passes its own `ServerContext.deadline` here to propagate it.
    public var deadline: ContinuousClock.Instant?
    /// Relative limit from when the call starts; the earlier of this and `deadline` applies.
    public var timeout: Duration?
    /// Sent with the call; a `request-id` is generated when absent.
    public var metadata: Metadata

    public init(deadline: ContinuousClock.Instant? = nil, timeout: Duration? = nil, metadata: Metadata = Metadata()) {
        self.deadline = deadline
        self.timeout = timeout
        self.metadata = metadata
    }

    /// The deadline that applies to a call starting now.
    public func effectiveDeadline(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        switch (deadline, timeout.map { now + $0 }) {
        case (let a?, let b?): min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }
}

/// Request ids: 16 random hex digits, unique enough to find one call's lines in the logs.
public enum RequestID {
    /// A new random request id.
    public static func make() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

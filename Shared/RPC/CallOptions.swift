import Synchronization

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

/// Request ids: 16 hex digits, unique enough to find one call's lines in the logs.
public enum RequestID {
    /// Where this process's ids start: random, so that two processes do not share ids.
    private static let sequence = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    /// A new request id: SplitMix64 of a counter from a random start. It is a bijection, so no
    /// two ids of a process repeat until 2^64 calls, and it costs no system call (a random
    /// number per call asked the kernel for one, a measurable part of a call's cost).
    public static func make() -> String {
        var z = sequence.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return String(unsafeUninitializedCapacity: 16) { digits in
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: z >> (60 - 4 * index)) & 0xF
                digits[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}

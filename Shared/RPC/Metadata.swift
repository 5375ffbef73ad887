import PinganWire

/// Key/value pairs sent with a call. Keys are lower-case; the well-known ones have accessors.
public struct Metadata: Sendable, Hashable {
    public var entries: [MetadataEntry]

    public init(_ entries: [MetadataEntry] = []) {
        self.entries = entries
    }

    /// The first value for `key`, or nil.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append(MetadataEntry(key, newValue)) }
        }
    }

    /// `request-id`: one id per user action, logged on every line of every call it causes.
    public var requestID: String? {
        get { self[Self.requestIDKey] }
        set { self[Self.requestIDKey] = newValue }
    }

    /// `idempotency-key`: a retry with the same key returns the first result.
    public var idempotencyKey: String? {
        get { self[Self.idempotencyKey] }
        set { self[Self.idempotencyKey] = newValue }
    }

    /// `traceparent`: W3C trace context.
    public var traceParent: String? {
        get { self[Self.traceParentKey] }
        set { self[Self.traceParentKey] = newValue }
    }

    public static let requestIDKey = "request-id"
    public static let idempotencyKey = "idempotency-key"
    public static let traceParentKey = "traceparent"
}

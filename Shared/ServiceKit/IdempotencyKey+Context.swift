import PinganRPC
import PinganStore
import SwiftProtobuf

extension IdempotencyKey {
    /// The call's `idempotency-key`, bound to its method and request; nil when none was sent.
    /// `fingerprint` turns the serialized request into what is stored: a service whose requests
    /// carry personal data passes a keyed hash, never the bytes themselves.
    public init?(_ context: ServerContext, _ request: some SwiftProtobuf.Message, fingerprint: ([UInt8]) -> [UInt8] = { $0 }) throws {
        guard let key = context.metadata.idempotencyKey else { return nil }
        guard (1...128).contains(key.count) else {
            throw RPCError(.invalidArgument, "metadata idempotency-key: must be 1-128 characters, got \(key.count)")
        }
        self.init(key: key, method: context.method.fullName, requestFingerprint: fingerprint(try request.serializedBytes()))
    }
}

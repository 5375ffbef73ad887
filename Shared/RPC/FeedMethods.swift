/// The change feed's method, served by every service with a store (PinganServiceKit's
/// FeedService) and followed by `pingan watch` and integrators.
public enum FeedMethods {
    public static let watch = MethodDescriptor(
        service: "pingan.feed.v1.Feed", method: "Watch", kind: .serverStreaming, isIdempotent: true, access: .anyRole)
}

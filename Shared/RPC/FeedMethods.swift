/// The change feed's method, served by every service with a store (PinganServiceKit's
/// FeedService) and followed by `pingan watch` and integrators.
public enum FeedMethods {
    /// Watch as a service serves it: `access` is who may read that service's data (any role for
    /// the registry, training and duty; finance's money only for admins, finance and auditors).
    public static func watch(access: Access) -> MethodDescriptor {
        MethodDescriptor(service: "pingan.feed.v1.Feed", method: "Watch", kind: .serverStreaming, isIdempotent: true, access: access)
    }

    /// Watch as clients call it (the access is the serving side's business).
    public static let watch = watch(access: .anyRole)
}

/// The change feed's methods, served by every service with a store (PinganServiceKit's
/// FeedService) and followed by `pingan watch` and integrators.
public enum FeedMethods {
    /// Watch as a service serves it: `access` is who may read that service's data (any role for
    /// the registry, training and duty; finance's money only for admins, finance and auditors).
    public static func watch(access: Access) -> MethodDescriptor {
        MethodDescriptor(service: "pingan.feed.v1.Feed", method: "Watch", kind: .serverStreaming, isIdempotent: true, access: access)
    }

    /// Watch as clients call it (the access is the serving side's business).
    public static let watch = watch(access: .anyRole)

    /// Position as a service serves it: the same roles as Watch.
    public static func position(access: Access) -> MethodDescriptor {
        MethodDescriptor(service: "pingan.feed.v1.Feed", method: "Position", kind: .unary, isIdempotent: true, access: access)
    }

    /// Position as clients call it.
    public static let position = position(access: .anyRole)
}

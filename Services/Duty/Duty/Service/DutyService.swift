import PinganRPC

/// The duty service's RPC methods: each translates the request to the domain, applies the
/// caller's role and unit scope, calls the store, and translates the answer back. Refusals by
/// the rules are thrown as `Refusal` and reach the caller with their status and every field.
public struct DutyService: RPCService {
    let store: DutyStore

    public init(store: DutyStore) {
        self.store = store
    }

    public func register(with router: inout Router) {
        // One line per method of the contract: router.register(DutyMethods.x) { ... }
    }
}

import PinganRPC

/// The finance service's RPC methods: each translates the request to the domain, applies the
/// caller's role and unit scope, calls the store, and translates the answer back. Refusals by
/// the rules are thrown as `Refusal` and reach the caller with their status and every field.
public struct FinanceService: RPCService {
    let store: FinanceStore

    public init(store: FinanceStore) {
        self.store = store
    }

    public func register(with router: inout Router) {
        // One line per method of the contract: router.register(FinanceMethods.x) { ... }
    }
}

import NIOCore

/// Who gets a connection slot. Connections still in the TLS handshake are bounded on their own,
/// in total and per source address, so peers that connect and send nothing cannot take the
/// slots of peers that completed mutual TLS, which alone count against the established limit.
/// When the handshakes are at a limit, the oldest one (of that address, or of all) makes room
/// for the newcomer: a silent peer holds a slot only until 128 newer connections arrive, while a
/// real handshake takes milliseconds, so a flood cannot keep new clients out either.
struct ConnectionAdmission {
    enum Refusal: Equatable, CustomStringConvertible {
        case established(limit: Int)

        var description: String {
            switch self {
            case .established(let limit): "\(limit) connections are open, the limit"
            }
        }
    }

    typealias ID = ObjectIdentifier

    let maximumEstablished: Int
    let maximumHandshakes: Int
    let maximumHandshakesPerAddress: Int
    private var handshaking: [ID: String] = [:]
    private var handshakeOrder = CircularBuffer<ID>()
    private var handshakesByAddress: [String: Int] = [:]
    private var establishedIDs: Set<ID> = []

    init(maximumEstablished: Int, maximumHandshakes: Int, maximumHandshakesPerAddress: Int) {
        self.maximumEstablished = maximumEstablished
        self.maximumHandshakes = maximumHandshakes
        self.maximumHandshakesPerAddress = maximumHandshakesPerAddress
    }

    var established: Int { establishedIDs.count }
    var handshakes: Int { handshaking.count }

    /// A TCP connection was accepted from `address` and starts its handshake. Returns the
    /// handshakes to close to make room for it, oldest first.
    mutating func accepted(_ id: ID, from address: String) -> [ID] {
        var evicted: [ID] = []
        if handshakesByAddress[address, default: 0] >= maximumHandshakesPerAddress, let oldest = oldestHandshake(from: address) {
            release(oldest)
            evicted.append(oldest)
        }
        if handshaking.count >= maximumHandshakes, let oldest = oldestHandshake(from: nil) {
            release(oldest)
            evicted.append(oldest)
        }
        handshaking[id] = address
        handshakeOrder.append(id)
        handshakesByAddress[address, default: 0] += 1
        return evicted
    }

    /// Its handshake completed: it moves to the established connections, or is refused when
    /// they are at their limit. A connection already evicted is refused too.
    mutating func handshakeCompleted(_ id: ID) -> Refusal? {
        guard handshaking[id] != nil else { return .established(limit: maximumEstablished) }
        release(id)
        guard establishedIDs.count < maximumEstablished else { return .established(limit: maximumEstablished) }
        establishedIDs.insert(id)
        return nil
    }

    /// It closed: whatever slot it held is free. Closing twice, or after an eviction, is fine.
    mutating func closed(_ id: ID) {
        establishedIDs.remove(id)
        if handshaking[id] != nil { release(id) }
    }

    private mutating func release(_ id: ID) {
        guard let address = handshaking.removeValue(forKey: id) else { return }
        handshakesByAddress[address, default: 1] -= 1
        if handshakesByAddress[address] == 0 { handshakesByAddress[address] = nil }
        // The order keeps released ids until they reach its front: drop them there.
        while let first = handshakeOrder.first, handshaking[first] == nil { handshakeOrder.removeFirst() }
    }

    /// The oldest handshake still under way, of `address` or of all.
    private func oldestHandshake(from address: String?) -> ID? {
        handshakeOrder.first { id in handshaking[id].map { address == nil || $0 == address } ?? false }
    }
}

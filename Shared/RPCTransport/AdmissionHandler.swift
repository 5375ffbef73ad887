import Logging
import NIOConcurrencyHelpers
import NIOCore
import PinganTLS

/// Follows one connection through `ConnectionAdmission`: into the established connections when
/// TLS completes (or closed, if those are full or it was evicted meanwhile), and out again when
/// it closes.
final class AdmissionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let admission: NIOLockedValueBox<ConnectionAdmission>
    private let id: ConnectionAdmission.ID
    private let refusals: RefusalLog
    private let address: String

    init(admission: NIOLockedValueBox<ConnectionAdmission>, id: ConnectionAdmission.ID, address: String, refusals: RefusalLog) {
        self.admission = admission
        self.id = id
        self.address = address
        self.refusals = refusals
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompleted {
            let id = self.id
            if let refusal = admission.withLockedValue({ $0.handshakeCompleted(id) }) {
                refusals.record("\(refusal)", from: address)
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let id = self.id
        admission.withLockedValue { $0.closed(id) }
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension AdmissionHandler: Sendable {}

/// Logs refused and evicted connections without letting a flood flood the log: the first at
/// once, then a count at most every 10 seconds.
final class RefusalLog: Sendable {
    private let logger: Logger
    private let state = NIOLockedValueBox<(refused: Int, lastWarning: NIODeadline?)>((0, nil))

    init(logger: Logger) {
        self.logger = logger
    }

    func record(_ reason: String, from address: String) {
        let now = NIODeadline.now()
        let report: Int? = state.withLockedValue { state in
            state.refused += 1
            if let last = state.lastWarning, now - last < .seconds(10) { return nil }
            defer { state = (0, now) }
            return state.refused
        }
        if let report {
            logger.warning("connections closed to make room or refused", metadata: ["count": "\(report)", "reason": "\(reason)", "remote": "\(address)"])
        }
    }
}

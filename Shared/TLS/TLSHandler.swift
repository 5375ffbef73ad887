import COpenSSL
import NIOCore
import PinganIdentity

/// Drives an OpenSSL `SSL*` through two memory BIOs: ciphertext from the socket goes into the
/// read BIO, plaintext comes out of `SSL_read`; plaintext writes go through `SSL_write` and the
/// resulting ciphertext is drained from the write BIO to the socket.
///
/// Plaintext written before the handshake completes is held (up to `maximumBufferedBytes`) and
/// sent once it does. After a failure the fatal alert is flushed before the channel closes, so
/// the peer learns the reason. The handler is bound to its channel's event loop.
public final class TLSHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private enum State {
        case idle
        case handshaking
        case active
        case closed
    }

    /// The most plaintext that may queue before the handshake completes.
    public static let maximumBufferedBytes = 4 * 1024 * 1024

    private let tlsContext: TLSContext
    private let serverHostname: String?
    private var ssl: OpaquePointer?
    private var readBIO: OpaquePointer?
    private var writeBIO: OpaquePointer?
    private var state = State.idle
    private var bufferedWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var bufferedBytes = 0
    private var flushPending = false
    private var handshakeTimer: Scheduled<Void>?

    /// - Parameter serverHostname: for the client role, the DNS name or IP address the server's
    ///   certificate must carry; ignored for the server role.
    public init(context: TLSContext, serverHostname: String? = nil) {
        self.tlsContext = context
        self.serverHostname = serverHostname
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        do {
            try makeSSL()
        } catch {
            state = .closed
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        if context.channel.isActive {
            beginHandshake(context: context)
        }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        failBufferedWrites(ChannelError.ioOnClosedChannel)
        if let ssl {
            SSL_free(ssl)  // frees both BIOs too
        }
        ssl = nil
        readBIO = nil
        writeBIO = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        beginHandshake(context: context)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if state == .handshaking {
            context.fireErrorCaught(TLSError(.closedDuringHandshake, "the peer closed the connection during the TLS handshake"))
        }
        state = .closed
        handshakeTimer?.cancel()
        failBufferedWrites(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    private func makeSSL() throws {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(tlsContext.context) else {
            throw TLSError(.configuration, "SSL_new failed: \(OpenSSLErrorQueue.drain())")
        }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError(.configuration, "BIO_new failed: \(OpenSSLErrorQueue.drain())")
        }
        SSL_set_bio(ssl, readBIO, writeBIO)
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO

        switch tlsContext.configuration.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            if let host = serverHostname {
                try expectServerName(host, ssl: ssl)
            }
        }
    }

    /// IP literals are checked against IP SANs and sent without SNI; names get both SNI and a
    /// host check.
    private func expectServerName(_ host: String, ssl: OpaquePointer) throws {
        if host.isIPAddressLiteral {
            guard COpenSSL_SSL_set_expected_ip(ssl, host) == 1 else {
                throw TLSError(.configuration, "cannot expect IP address \(host): \(OpenSSLErrorQueue.drain())")
            }
        } else {
            guard SSL_set1_host(ssl, host) == 1, COpenSSL_SSL_set_tlsext_host_name(ssl, host) == 1 else {
                throw TLSError(.configuration, "cannot expect host name \(host): \(OpenSSLErrorQueue.drain())")
            }
        }
    }

    // MARK: Handshake

    private func beginHandshake(context: ChannelHandlerContext) {
        guard state == .idle, ssl != nil else { return }
        state = .handshaking
        let timeout = tlsContext.configuration.handshakeTimeout
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) {
            guard self.state == .handshaking else { return }
            self.fail(context: context, TLSError(.handshakeTimeout, "no TLS handshake completed within \(timeout)"))
        }
        advanceHandshake(context: context)
    }

    private func advanceHandshake(context: ChannelHandlerContext) {
        guard let ssl else { return }
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            flushCiphertext(context: context, promise: nil)
            completeHandshake(context: context, ssl: ssl)
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            flushCiphertext(context: context, promise: nil)
        default:
            fail(context: context, handshakeError(ssl: ssl))
        }
    }

    private func handshakeError(ssl: OpaquePointer) -> TLSError {
        let reasons = OpenSSLErrorQueue.drain()
        let verifyResult = SSL_get_verify_result(ssl)
        if verifyResult != Int(X509_V_OK) {
            let why = String(cString: X509_verify_cert_error_string(verifyResult))
            return TLSError(.peerCertificateRejected, "peer certificate rejected: \(why)")
        }
        if reasons.contains("peer did not return a certificate") {
            return TLSError(.peerCertificateRejected, "peer certificate rejected: the peer presented no certificate")
        }
        if reasons.contains("alert") {
            return TLSError(.rejectedByPeer, "the peer ended the handshake: \(reasons)")
        }
        return TLSError(.handshakeFailed, reasons.isEmpty ? "TLS handshake failed" : reasons)
    }

    private func completeHandshake(context: ChannelHandlerContext, ssl: OpaquePointer) {
        handshakeTimer?.cancel()
        handshakeTimer = nil
        state = .active
        guard let certificate = SSL_get1_peer_certificate(ssl) else {
            // Unreachable with SSL_VERIFY_FAIL_IF_NO_PEER_CERT, but never trust an anonymous peer.
            fail(context: context, TLSError(.peerCertificateRejected, "peer presented no certificate"))
            return
        }
        let identity = PeerIdentity(certificate: certificate)
        X509_free(certificate)
        let cipher = SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? ""
        let version = String(cString: SSL_get_version(ssl))
        context.fireUserInboundEventTriggered(
            TLSHandshakeCompleted(peer: identity, protocolVersion: version, cipherSuite: cipher))

        if !bufferedWrites.isEmpty, flushPending {
            encryptBufferedWrites(context: context)
        }
        // Application data may have arrived in the same read as the handshake's last message.
        readPlaintext(context: context)
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let ciphertext = unwrapInboundIn(data)
        guard state == .handshaking || state == .active, let readBIO else { return }
        ciphertext.withUnsafeReadableBytes { bytes in
            // A memory BIO grows to take everything; it never writes short.
            _ = BIO_write(readBIO, bytes.baseAddress, Int32(bytes.count))
        }
        if state == .handshaking {
            advanceHandshake(context: context)
        } else {
            readPlaintext(context: context)
        }
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        guard state == .active, let ssl, let readBIO else { return }
        let pending = BIO_ctrl_pending(readBIO)
        guard pending > 0 || SSL_pending(ssl) > 0 else { return }
        var plaintext = context.channel.allocator.buffer(capacity: max(pending, 512))
        var outcome: Int32 = SSL_ERROR_NONE
        OpenSSLErrorQueue.clear()
        while outcome == SSL_ERROR_NONE {
            var result: Int32 = 0
            plaintext.writeWithUnsafeMutableBytes(minimumWritableBytes: 512) { space in
                result = SSL_read(ssl, space.baseAddress, Int32(min(space.count, Int(Int32.max))))
                return result > 0 ? Int(result) : 0
            }
            if result <= 0 {
                outcome = SSL_get_error(ssl, result)
            }
        }
        if plaintext.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(plaintext))
        }
        switch outcome {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // Reads can produce writes: KeyUpdate answers, alerts.
            flushCiphertext(context: context, promise: nil)
        case SSL_ERROR_ZERO_RETURN:
            // The peer sent close_notify: answer it and close.
            close(context: context, mode: .all, promise: nil)
        default:
            let reasons = OpenSSLErrorQueue.drain()
            // In TLS 1.3 a client finishes before the server has checked its certificate, so a
            // rejection shows up here, on the first read.
            let kind: TLSError.Kind = reasons.contains("alert") ? .rejectedByPeer : .connectionFailed
            fail(context: context, TLSError(kind, reasons.isEmpty ? "TLS record error" : reasons))
        }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        // A read that produced no plaintext (a partial record, handshake bytes) must still lead
        // to another read when autoRead is off, or the connection stalls.
        let autoRead = (try? context.channel.syncOptions?.getOption(ChannelOptions.autoRead)) ?? true
        if !autoRead {
            context.read()
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let plaintext = unwrapOutboundIn(data)
        guard state != .closed else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if state != .active, bufferedBytes + plaintext.readableBytes > Self.maximumBufferedBytes {
            promise?.fail(TLSError(.connectionFailed, "more than \(Self.maximumBufferedBytes) bytes written before the handshake completed"))
            return
        }
        bufferedBytes += plaintext.readableBytes
        bufferedWrites.append((plaintext, promise))
    }

    public func flush(context: ChannelHandlerContext) {
        flushPending = true
        if state == .active {
            encryptBufferedWrites(context: context)
        }
    }

    private func encryptBufferedWrites(context: ChannelHandlerContext) {
        flushPending = false
        guard let ssl, !bufferedWrites.isEmpty else { return }
        let writes = bufferedWrites
        bufferedWrites.removeAll(keepingCapacity: true)
        bufferedBytes = 0

        OpenSSLErrorQueue.clear()
        for (plaintext, _) in writes {
            let written = plaintext.withUnsafeReadableBytes { bytes -> Int32 in
                bytes.isEmpty ? 1 : SSL_write(ssl, bytes.baseAddress, Int32(bytes.count))
            }
            if written <= 0 {
                let error = TLSError(.connectionFailed, "SSL_write failed: \(OpenSSLErrorQueue.drain())")
                writes.forEach { $0.1?.fail(error) }
                fail(context: context, error)
                return
            }
        }
        // One ciphertext write completes every plaintext write it carries.
        let promises = writes.compactMap(\.1)
        var combined: EventLoopPromise<Void>?
        if let first = promises.first {
            combined = first
            for other in promises.dropFirst() {
                first.futureResult.cascade(to: other)
            }
        }
        flushCiphertext(context: context, promise: combined)
    }

    /// Sends whatever OpenSSL has written into the write BIO as one buffer.
    private func flushCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard let writeBIO else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        let pending = BIO_ctrl_pending(writeBIO)
        guard pending > 0 else {
            promise?.succeed(())
            return
        }
        var ciphertext = context.channel.allocator.buffer(capacity: pending)
        ciphertext.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            Int(max(0, BIO_read(writeBIO, space.baseAddress, Int32(pending))))
        }
        context.writeAndFlush(wrapOutboundOut(ciphertext), promise: promise)
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, state == .active, let ssl else {
            if mode == .all { state = .closed }
            context.close(mode: mode, promise: promise)
            return
        }
        state = .closed
        if !bufferedWrites.isEmpty { encryptBufferedWritesBeforeClose(context: context, ssl: ssl) }
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)  // queues close_notify; we do not wait for the peer's
        _ = OpenSSLErrorQueue.drain()
        closeAfterFlushing(context: context, promise: promise)
    }

    private func encryptBufferedWritesBeforeClose(context: ChannelHandlerContext, ssl: OpaquePointer) {
        for (plaintext, promise) in bufferedWrites {
            plaintext.withUnsafeReadableBytes { bytes in
                if !bytes.isEmpty { _ = SSL_write(ssl, bytes.baseAddress, Int32(bytes.count)) }
            }
            promise?.succeed(())
        }
        bufferedWrites.removeAll()
        bufferedBytes = 0
    }

    // MARK: Failure

    private func fail(context: ChannelHandlerContext, _ error: TLSError) {
        guard state != .closed else { return }
        state = .closed
        handshakeTimer?.cancel()
        failBufferedWrites(error)
        context.fireErrorCaught(error)
        // Flush the fatal alert OpenSSL queued, so the peer learns why.
        closeAfterFlushing(context: context, promise: nil)
    }

    private func closeAfterFlushing(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let flushed = context.eventLoop.makePromise(of: Void.self)
        flushCiphertext(context: context, promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in
            context.close(mode: .all, promise: promise)
        }
    }

    private func failBufferedWrites(_ error: any Error) {
        let writes = bufferedWrites
        bufferedWrites.removeAll()
        bufferedBytes = 0
        for (_, promise) in writes {
            promise?.fail(error)
        }
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}

extension String {
    /// True for IPv4 dotted-quad and IPv6 literals (which certificates carry as IP SANs).
    var isIPAddressLiteral: Bool {
        if contains(":") { return true }
        let parts = split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}

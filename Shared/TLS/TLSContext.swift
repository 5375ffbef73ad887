import COpenSSL

/// A configured OpenSSL `SSL_CTX`, shared by every connection of one role.
///
/// `@unchecked Sendable` because the `SSL_CTX` is never mutated after `init`, and OpenSSL
/// makes `SSL_new` on a shared, unchanging context safe from any thread.
public final class TLSContext: @unchecked Sendable {
    /// The settings this context was built from.
    public let configuration: TLSConfiguration
    let context: OpaquePointer

    /// Loads the certificate chain, key and trust roots; throws `TLSError(.configuration, ...)`
    /// naming the file and OpenSSL's reason when any of them is unusable.
    public init(configuration: TLSConfiguration) throws {
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_method()) else {
            throw TLSError(.configuration, "SSL_CTX_new failed: \(OpenSSLErrorQueue.drain())")
        }
        self.context = context
        self.configuration = configuration
        // From here on, a throw runs deinit, which frees the context.
        try self.configure()
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func configure() throws {
        let minimum = configuration.minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard COpenSSL_SSL_CTX_set_min_proto_version(context, minimum) == 1,
              COpenSSL_SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) == 1
        else { throw failure("cannot restrict protocol versions") }
        COpenSSL_SSL_CTX_apply_hardening(context)

        if let suites = configuration.tls13CipherSuites {
            guard SSL_CTX_set_ciphersuites(context, suites) == 1 else {
                throw failure("tls13CipherSuites '\(suites)' names no usable cipher suite")
            }
        }
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainPath) == 1 else {
            throw failure("cannot load certificate chain from \(configuration.certificateChainPath)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw failure("cannot load private key from \(configuration.privateKeyPath)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw failure("private key \(configuration.privateKeyPath) does not match the certificate")
        }
        guard SSL_CTX_load_verify_locations(context, configuration.trustRootsPath, nil) == 1 else {
            throw failure("cannot load trust roots from \(configuration.trustRootsPath)")
        }
        if let path = configuration.revocationListPath {
            // Every CA of a chain then needs a CRL: a deployment has one CA, whose list this is.
            guard COpenSSL_SSL_CTX_load_crls(context, path) > 0 else {
                throw failure("cannot load a certificate revocation list from \(path)")
            }
        }
        // Both roles insist on a verified peer certificate: that is what mutual TLS means here.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
    }

    private func failure(_ what: String) -> TLSError {
        let reason = OpenSSLErrorQueue.drain()
        return TLSError(.configuration, reason.isEmpty ? what : "\(what): \(reason)")
    }
}

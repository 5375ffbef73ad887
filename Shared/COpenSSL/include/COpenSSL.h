// The small part of OpenSSL 3 that Swift cannot import directly (macros), wrapped as
// functions, plus helpers that keep OpenSSL-owned memory on the C side.
#ifndef COPENSSL_H
#define COPENSSL_H

#include <stddef.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/rand.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/// Kinds of subject alternative name reported by `COpenSSL_general_name_at`.
enum {
    COPENSSL_SAN_OTHER = 0,
    COPENSSL_SAN_DNS = 1,
    COPENSSL_SAN_URI = 2,
    COPENSSL_SAN_IP = 3,
};

int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);

/// No compression, no renegotiation, server cipher preference, release idle buffers,
/// and no session tickets (our connections are long-lived; resumption is not used).
void COpenSSL_SSL_CTX_apply_hardening(SSL_CTX *ctx);

int COpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name);

/// Adds every CRL in the PEM file at `path` to the context's trust store and turns on
/// revocation checks for the whole chain. Returns how many were added; 0 for a file holding
/// none, -1 for one that cannot be read.
int COpenSSL_SSL_CTX_load_crls(SSL_CTX *ctx, const char *path);

/// Makes certificate verification require `ip` (dotted or colon form) in the peer's SANs.
int COpenSSL_SSL_set_expected_ip(SSL *ssl, const char *ip);

/// Writes the subject common name as UTF-8 (not NUL-terminated); returns its length, or -1.
int COpenSSL_X509_subject_common_name(X509 *cert, char *out, size_t capacity);

/// The certificate's subject alternative names, or NULL; free with `COpenSSL_general_names_free`.
void *COpenSSL_X509_subject_alt_names(X509 *cert);
int COpenSSL_general_names_count(const void *names);
/// Reports one entry; `*data` stays valid until the names are freed. Returns 0, or -1 if out of range.
int COpenSSL_general_name_at(const void *names, int index, int *kind,
                             const unsigned char **data, int *length);
void COpenSSL_general_names_free(void *names);

/// SHA-256 of the DER encoding into `out` (32 bytes); returns 1 on success.
int COpenSSL_X509_sha256_fingerprint(X509 *cert, unsigned char *out);

/// Seconds from now until the certificate's notAfter (negative once it has expired).
long long COpenSSL_X509_seconds_until_expiry(X509 *cert);

/// AES-256-GCM with a 12-byte nonce and 16-byte tag. `seal` writes `length` bytes of ciphertext
/// and the tag; `open` writes the plaintext and returns 1 only if the tag verifies.
int COpenSSL_aes256gcm_seal(const unsigned char *key, const unsigned char *nonce,
                            const unsigned char *aad, size_t aad_length,
                            const unsigned char *plaintext, size_t length,
                            unsigned char *ciphertext, unsigned char *tag);
int COpenSSL_aes256gcm_open(const unsigned char *key, const unsigned char *nonce,
                            const unsigned char *aad, size_t aad_length,
                            const unsigned char *ciphertext, size_t length,
                            const unsigned char *tag, unsigned char *plaintext);

/// HMAC-SHA256 into `out` (32 bytes); returns 1 on success.
int COpenSSL_hmac_sha256(const unsigned char *key, size_t key_length,
                         const unsigned char *data, size_t length, unsigned char *out);

#endif

#include "COpenSSL.h"

#include <string.h>
#include <openssl/evp.h>
#include <time.h>

int COpenSSL_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int COpenSSL_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

void COpenSSL_SSL_CTX_apply_hardening(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_num_tickets(ctx, 0);
}

int COpenSSL_SSL_CTX_load_crls(SSL_CTX *ctx, const char *path) {
    BIO *file = BIO_new_file(path, "r");
    if (file == NULL) return -1;
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    X509_CRL *crl;
    while ((crl = PEM_read_bio_X509_CRL(file, NULL, NULL, NULL)) != NULL) {
        if (X509_STORE_add_crl(store, crl) == 1) added++;
        X509_CRL_free(crl);
    }
    ERR_clear_error();  // the read that ends the loop leaves "no start line"
    BIO_free(file);
    if (added > 0) X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    return added;
}

int COpenSSL_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

int COpenSSL_SSL_set_expected_ip(SSL *ssl, const char *ip) {
    return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip);
}

int COpenSSL_X509_subject_common_name(X509 *cert, char *out, size_t capacity) {
    X509_NAME *name = X509_get_subject_name(cert);
    if (name == NULL) return -1;
    int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) return -1;
    ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char *utf8 = NULL;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) return -1;
    if ((size_t)length > capacity) length = (int)capacity;
    memcpy(out, utf8, (size_t)length);
    OPENSSL_free(utf8);
    return length;
}

void *COpenSSL_X509_subject_alt_names(X509 *cert) {
    return X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
}

int COpenSSL_general_names_count(const void *names) {
    return sk_GENERAL_NAME_num((const GENERAL_NAMES *)names);
}

int COpenSSL_general_name_at(const void *names, int index, int *kind,
                             const unsigned char **data, int *length) {
    const GENERAL_NAMES *list = (const GENERAL_NAMES *)names;
    if (index < 0 || index >= sk_GENERAL_NAME_num(list)) return -1;
    const GENERAL_NAME *entry = sk_GENERAL_NAME_value(list, index);
    const ASN1_STRING *value = NULL;
    switch (entry->type) {
    case GEN_DNS: *kind = COPENSSL_SAN_DNS; value = entry->d.dNSName; break;
    case GEN_URI: *kind = COPENSSL_SAN_URI; value = entry->d.uniformResourceIdentifier; break;
    case GEN_IPADD: *kind = COPENSSL_SAN_IP; value = entry->d.iPAddress; break;
    default: *kind = COPENSSL_SAN_OTHER; *data = NULL; *length = 0; return 0;
    }
    *data = ASN1_STRING_get0_data(value);
    *length = ASN1_STRING_length(value);
    return 0;
}

void COpenSSL_general_names_free(void *names) {
    GENERAL_NAMES_free((GENERAL_NAMES *)names);
}

int COpenSSL_X509_sha256_fingerprint(X509 *cert, unsigned char *out) {
    unsigned int length = 0;
    return X509_digest(cert, EVP_sha256(), out, &length) == 1 && length == 32;
}

long long COpenSSL_X509_seconds_until_expiry(X509 *cert) {
    int days = 0, seconds = 0;
    if (!ASN1_TIME_diff(&days, &seconds, NULL, X509_get0_notAfter(cert))) return 0;
    return (long long)days * 86400 + seconds;
}

int COpenSSL_aes256gcm_seal(const unsigned char *key, const unsigned char *nonce,
                            const unsigned char *aad, size_t aad_length,
                            const unsigned char *plaintext, size_t length,
                            unsigned char *ciphertext, unsigned char *tag) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int ok = ctx != NULL, written = 0;
    ok = ok && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1;
    ok = ok && (aad_length == 0 || EVP_EncryptUpdate(ctx, NULL, &written, aad, (int)aad_length) == 1);
    ok = ok && EVP_EncryptUpdate(ctx, ciphertext, &written, plaintext, (int)length) == 1;
    ok = ok && EVP_EncryptFinal_ex(ctx, ciphertext + written, &written) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int COpenSSL_aes256gcm_open(const unsigned char *key, const unsigned char *nonce,
                            const unsigned char *aad, size_t aad_length,
                            const unsigned char *ciphertext, size_t length,
                            const unsigned char *tag, unsigned char *plaintext) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int ok = ctx != NULL, written = 0;
    ok = ok && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce) == 1;
    ok = ok && (aad_length == 0 || EVP_DecryptUpdate(ctx, NULL, &written, aad, (int)aad_length) == 1);
    ok = ok && EVP_DecryptUpdate(ctx, plaintext, &written, ciphertext, (int)length) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)tag) == 1;
    ok = ok && EVP_DecryptFinal_ex(ctx, plaintext + written, &written) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

int COpenSSL_hmac_sha256(const unsigned char *key, size_t key_length,
                         const unsigned char *data, size_t length, unsigned char *out) {
    size_t written = 0;
    return EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_length, data, length, out, 32, &written) != NULL
        && written == 32;
}

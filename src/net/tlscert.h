/*
 * tlscert.h - a TLS server's certificate, its chain and its private key,
 * read from PEM files and handed to each handshake of an OpenSSL SSL_CTX.
 * Owns: the pair in use, which a reload replaces only with a pair that
 * read well and belongs together.  A handshake takes the pair in use when
 * it starts (SSL_CTX_set_cert_cb, as nginx does for certificates it picks
 * per connection), so connections made before a reload keep theirs and
 * are never touched.  Borrows the SSL_CTX (libwebsockets' vhost's) and the
 * file names.  Never prints: a failure comes back with errno and a reason.
 */
#ifndef GEOROOM_TLSCERT_H
#define GEOROOM_TLSCERT_H

#include <stddef.h>

#include <openssl/ssl.h>

struct tlscert {
	const char *cert_path; /* PEM: the certificate, then its chain */
	const char *key_path;  /* PEM: its private key, not encrypted */
	X509 *cert;
	STACK_OF(X509) * chain; /* intermediates; NULL: none */
	EVP_PKEY *key;
};

/*
 * Reads the certificate (with any chain after it) from 'cert_path' and
 * the key from 'key_path', both borrowed and kept for reloads.  Returns
 * 0, or -1 with the reason in 'err' and errno: what fopen(3) said when a
 * file cannot be read (ENOENT, EACCES...), EINVAL when a file holds no
 * certificate or no usable key (an encrypted key is refused rather than
 * prompted for), or when the key is not the certificate's; ENOMEM.
 * On failure 'tc' holds nothing.
 */
int tlscert_init(struct tlscert *tc, const char *cert_path,
    const char *key_path, char *err, size_t errlen);

/*
 * Reads both files again, as tlscert_init() does.  On success the new
 * pair is the one new handshakes get; on failure (the same errno and
 * reasons) the pair in use stays.  Returns 0 or -1.
 */
int tlscert_reload(struct tlscert *tc, char *err, size_t errlen);

/*
 * Serves 'ctx' (borrowed, which must not outlive 'tc') with this pair,
 * from TLS 1.2 up.  Returns 0, or -1 (ENOMEM).
 */
int tlscert_attach(struct tlscert *tc, SSL_CTX *ctx);

/* "subject ..., expires ..." of the certificate in use, cut to fit. */
void tlscert_describe(const struct tlscert *tc, char *buf, size_t len);

/* Frees the pair; 'tc' holds nothing.  Idempotent. */
void tlscert_release(struct tlscert *tc);

#endif

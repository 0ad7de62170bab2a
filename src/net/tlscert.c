/* tlscert.c - a TLS server's certificate and key (see tlscert.h). */
#include "tlscert.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "errbuf.h"

/* One pair as read from the files. */
struct pair {
	X509 *cert;
	STACK_OF(X509) * chain;
	EVP_PKEY *key;
};

static void
pair_free(struct pair *p)
{
	X509_free(p->cert);
	sk_X509_pop_free(p->chain, X509_free);
	EVP_PKEY_free(p->key);
	memset(p, 0, sizeof(*p));
}

/* Called instead of a prompt on the terminal: a daemon has none. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(int *)u = 1;
	return -1;
}

/* Whether OpenSSL's last error is the end of the PEM blocks in a file. */
static int
pem_ended(void)
{
	unsigned long e = ERR_peek_last_error();

	return ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

static BIO *
open_pem(const char *what, const char *path, char *err, size_t errlen)
{
	FILE *f;
	BIO *b;
	int e;

	if ((f = fopen(path, "r")) == NULL) {
		e = errno;
		errbuf_fail(e, err, errlen, "cannot read %s '%s': %s", what,
		    path, strerror(e));
		return NULL;
	}
	if ((b = BIO_new_fp(f, BIO_CLOSE)) == NULL) {
		fclose(f);
		errbuf_fail(ENOMEM, err, errlen, "out of memory");
	}
	return b;
}

static int
read_cert(struct pair *p, const char *path, char *err, size_t errlen)
{
	BIO *b;
	X509 *x;
	int asked = 0, rc = -1;

	if ((b = open_pem("certificate", path, err, errlen)) == NULL)
		return -1;
	ERR_clear_error();
	/* As SSL_CTX_use_certificate_chain_file(): the first block is the
	 * server's, those after it the chain the handshake sends along. */
	if ((p->cert = PEM_read_bio_X509_AUX(b, NULL, no_passphrase,
	         &asked)) == NULL) {
		errbuf_fail(EINVAL, err, errlen, "no PEM certificate in '%s'",
		    path);
		goto out;
	}
	while (
	    (x = PEM_read_bio_X509(b, NULL, no_passphrase, &asked)) != NULL) {
		if ((p->chain == NULL &&
		        (p->chain = sk_X509_new_null()) == NULL) ||
		    sk_X509_push(p->chain, x) == 0) {
			X509_free(x);
			errbuf_fail(ENOMEM, err, errlen, "out of memory");
			goto out;
		}
	}
	if (!pem_ended()) {
		errbuf_fail(EINVAL, err, errlen,
		    "a bad certificate in the chain in '%s'", path);
		goto out;
	}
	rc = 0;
out:
	ERR_clear_error();
	BIO_free(b);
	return rc;
}

static int
read_key(struct pair *p, const char *path, char *err, size_t errlen)
{
	BIO *b;
	int asked = 0;

	if ((b = open_pem("private key", path, err, errlen)) == NULL)
		return -1;
	p->key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, &asked);
	BIO_free(b);
	ERR_clear_error();
	if (p->key == NULL)
		return errbuf_fail(EINVAL, err, errlen,
		    asked ? "private key '%s' is encrypted: give it without "
		            "a passphrase" :
		            "no PEM private key in '%s'",
		    path);
	return 0;
}

static int
read_pair(struct pair *p, const char *cert_path, const char *key_path,
    char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	if (read_cert(p, cert_path, err, errlen) == -1 ||
	    read_key(p, key_path, err, errlen) == -1)
		goto fail;
	if (X509_check_private_key(p->cert, p->key) != 1) {
		ERR_clear_error();
		errbuf_fail(EINVAL, err, errlen,
		    "private key '%s' does not belong to certificate '%s'",
		    key_path, cert_path);
		goto fail;
	}
	return 0;
fail:
	pair_free(p);
	return -1;
}

static void
take_pair(struct tlscert *tc, struct pair *p)
{
	X509_free(tc->cert);
	sk_X509_pop_free(tc->chain, X509_free);
	EVP_PKEY_free(tc->key);
	tc->cert = p->cert;
	tc->chain = p->chain;
	tc->key = p->key;
	memset(p, 0, sizeof(*p));
}

int
tlscert_init(struct tlscert *tc, const char *cert_path, const char *key_path,
    char *err, size_t errlen)
{
	struct pair p;

	memset(tc, 0, sizeof(*tc));
	tc->cert_path = cert_path;
	tc->key_path = key_path;
	if (read_pair(&p, cert_path, key_path, err, errlen) == -1)
		return -1;
	take_pair(tc, &p);
	return 0;
}

int
tlscert_reload(struct tlscert *tc, char *err, size_t errlen)
{
	struct pair p;

	if (read_pair(&p, tc->cert_path, tc->key_path, err, errlen) == -1)
		return -1;
	/* Each connection's SSL holds its own references to the pair it
	 * began with: dropping ours frees nothing they use. */
	take_pair(tc, &p);
	return 0;
}

/*
 * Before each handshake uses a certificate: the pair in use now goes
 * into this connection's SSL.  1 goes on; 0 fails the handshake.
 */
static int
use_pair(SSL *ssl, void *arg)
{
	struct tlscert *tc = arg;

	if (tc->cert == NULL)
		return 0;
	return SSL_use_cert_and_key(ssl, tc->cert, tc->key, tc->chain, 1) == 1;
}

int
tlscert_attach(struct tlscert *tc, SSL_CTX *ctx)
{
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		ERR_clear_error();
		errno = ENOMEM;
		return -1;
	}
	SSL_CTX_set_cert_cb(ctx, use_pair, tc);
	return 0;
}

void
tlscert_describe(const struct tlscert *tc, char *buf, size_t len)
{
	char subject[256], expires[32] = "?", serial[80] = "?";
	const ASN1_INTEGER *sn;
	struct tm tm;
	BIGNUM *bn;
	char *hex;

	if (tc->cert == NULL) {
		errbuf_printf(buf, len, "no certificate");
		return;
	}
	if (X509_NAME_oneline(X509_get_subject_name(tc->cert), subject,
	        (int)sizeof(subject)) == NULL)
		errbuf_printf(subject, sizeof(subject), "?");
	if (ASN1_TIME_to_tm(X509_get0_notAfter(tc->cert), &tm) == 1)
		strftime(expires, sizeof(expires), "%Y-%m-%d %H:%M:%S UTC",
		    &tm);
	/* As openssl x509 -serial prints it, to compare. */
	sn = X509_get0_serialNumber(tc->cert);
	if ((bn = ASN1_INTEGER_to_BN(sn, NULL)) != NULL &&
	    (hex = BN_bn2hex(bn)) != NULL) {
		errbuf_printf(serial, sizeof(serial), "%s", hex);
		OPENSSL_free(hex);
	}
	BN_free(bn);
	ERR_clear_error();
	errbuf_printf(buf, len, "subject %s, serial %s, expires %s", subject,
	    serial, expires);
}

void
tlscert_release(struct tlscert *tc)
{
	struct pair none;

	memset(&none, 0, sizeof(none));
	take_pair(tc, &none);
}

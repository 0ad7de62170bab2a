/*
 * test_tlscert.c - a TLS server's certificate and key: files read and
 * checked, reasons for those refused, and reloads that serve new
 * handshakes while a connection made before keeps its certificate (real
 * handshakes between two SSL objects over a BIO pair, no sockets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "tlscert.h"

static char dir[] = "/tmp/test_tlscert.XXXXXX";

static const char *
path(const char *name)
{
	static char buf[8][128];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* A self-signed certificate for 'cn' with a new P-256 key. */
static void
make_pair(const char *cn, long serial, X509 **xp, EVP_PKEY **kp)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *n;

	assert_non_null(k);
	assert_non_null(x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, k);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	*xp = x;
	*kp = k;
}

static void
write_cert(const char *name, X509 *x, X509 *more)
{
	FILE *f = fopen(path(name), "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	if (more != NULL)
		assert_int_equal(PEM_write_X509(f, more), 1);
	assert_int_equal(fclose(f), 0);
}

static void
write_key(const char *name, EVP_PKEY *k, const char *pass)
{
	FILE *f = fopen(path(name), "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k,
	                     pass ? EVP_aes_256_cbc() : NULL, NULL, 0, NULL,
	                     (void *)pass),
	    1);
	assert_int_equal(fclose(f), 0);
}

static void
write_text(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static X509 *one_x, *two_x;

/* one.pem/one.key, two.pem/two.key, and files that must be refused. */
static int
setup(void **state)
{
	EVP_PKEY *one_k, *two_k;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	make_pair("one", 1, &one_x, &one_k);
	make_pair("two", 2, &two_x, &two_k);
	write_cert("one.pem", one_x, NULL);
	write_key("one.key", one_k, NULL);
	write_cert("two.pem", two_x, NULL);
	write_key("two.key", two_k, NULL);
	write_cert("chained.pem", one_x, two_x);
	write_key("secret.key", one_k, "passphrase");
	write_text("junk.pem", "not a certificate\n");
	EVP_PKEY_free(one_k);
	EVP_PKEY_free(two_k);
	return 0;
}

static int
teardown(void **state)
{
	static const char *names[] = { "one.pem", "one.key", "two.pem",
		"two.key", "chained.pem", "secret.key", "junk.pem", "cur.pem",
		"cur.key" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path(names[i]));
	rmdir(dir);
	X509_free(one_x);
	X509_free(two_x);
	return 0;
}

static void
test_good_pair(void **state)
{
	struct tlscert tc;
	char err[256], what[256];

	(void)state;
	assert_int_equal(tlscert_init(&tc, path("one.pem"), path("one.key"),
	                     err, sizeof(err)),
	    0);
	assert_null(tc.chain);
	tlscert_describe(&tc, what, sizeof(what));
	assert_non_null(strstr(what, "subject /CN=one, serial 01, expires "));
	tlscert_release(&tc);
	tlscert_release(&tc);

	assert_int_equal(tlscert_init(&tc, path("chained.pem"),
	                     path("one.key"), err, sizeof(err)),
	    0);
	assert_non_null(tc.chain);
	assert_int_equal(sk_X509_num(tc.chain), 1);
	tlscert_release(&tc);
}

static void
refused(const char *cert, const char *key, int want_errno, const char *want)
{
	struct tlscert tc;
	char err[512];

	errno = 0;
	assert_int_equal(tlscert_init(&tc, path(cert), path(key), err,
	                     sizeof(err)),
	    -1);
	assert_int_equal(errno, want_errno);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' does not say '%s'", err, want);
	assert_null(tc.cert);
	assert_null(tc.key);
	assert_int_equal(ERR_peek_error(), 0);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("none.pem", "one.key", ENOENT, "cannot read certificate");
	refused("one.pem", "none.key", ENOENT, "cannot read private key");
	refused("junk.pem", "one.key", EINVAL, "no PEM certificate in");
	refused("one.pem", "junk.pem", EINVAL, "no PEM private key in");
	refused("one.pem", "one.pem", EINVAL, "no PEM private key in");
	refused("one.pem", "two.key", EINVAL, "does not belong to");
	refused("one.pem", "secret.key", EINVAL, "is encrypted");
}

/* Drives both ends of a handshake over a BIO pair until both are done. */
static SSL *
handshake(SSL_CTX *sctx, SSL_CTX *cctx, SSL **client)
{
	SSL *s = SSL_new(sctx), *c = SSL_new(cctx);
	BIO *sb, *cb;
	int sdone = 0, cdone = 0;

	assert_non_null(s);
	assert_non_null(c);
	assert_int_equal(BIO_new_bio_pair(&sb, 0, &cb, 0), 1);
	SSL_set_bio(s, sb, sb);
	SSL_set_bio(c, cb, cb);
	SSL_set_accept_state(s);
	SSL_set_connect_state(c);
	for (int i = 0; i < 100 && !(sdone && cdone); i++) {
		if (!cdone)
			cdone = SSL_do_handshake(c) == 1;
		if (!sdone)
			sdone = SSL_do_handshake(s) == 1;
	}
	assert_true(sdone && cdone);
	*client = c;
	return s;
}

/* Whether the client end got certificate 'x' from the server. */
static int
served(SSL *client, X509 *x)
{
	X509 *got = SSL_get1_peer_certificate(client);
	int same = got != NULL && X509_cmp(got, x) == 0;

	X509_free(got);
	return same;
}

static void
copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(path(from), "r"), *out = fopen(path(to), "w");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void
test_reload(void **state)
{
	SSL_CTX *sctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method());
	SSL *old_s, *old_c, *s, *c;
	struct tlscert tc;
	char err[512];

	(void)state;
	assert_non_null(sctx);
	assert_non_null(cctx);
	copy_file("one.pem", "cur.pem");
	copy_file("one.key", "cur.key");
	assert_int_equal(tlscert_init(&tc, path("cur.pem"), path("cur.key"),
	                     err, sizeof(err)),
	    0);
	assert_int_equal(tlscert_attach(&tc, sctx), 0);
	assert_int_equal(SSL_CTX_get_min_proto_version(sctx), TLS1_2_VERSION);

	old_s = handshake(sctx, cctx, &old_c);
	assert_true(served(old_c, one_x));

	/* A half-written renewal: the new certificate, the old key. */
	copy_file("two.pem", "cur.pem");
	assert_int_equal(tlscert_reload(&tc, err, sizeof(err)), -1);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "does not belong to"));
	s = handshake(sctx, cctx, &c);
	assert_true(served(c, one_x));
	SSL_free(s);
	SSL_free(c);

	copy_file("two.key", "cur.key");
	assert_int_equal(tlscert_reload(&tc, err, sizeof(err)), 0);
	s = handshake(sctx, cctx, &c);
	assert_true(served(c, two_x));
	/* The connection made before keeps its pair, and still works. */
	assert_int_equal(X509_cmp(SSL_get_certificate(old_s), one_x), 0);
	assert_int_equal(SSL_write(old_c, "ping", 4), 4);
	{
		char buf[8];

		assert_int_equal(SSL_read(old_s, buf, sizeof(buf)), 4);
		assert_memory_equal(buf, "ping", 4);
	}
	SSL_free(s);
	SSL_free(c);

	/* Gone, both files: the pair in use stays. */
	unlink(path("cur.pem"));
	assert_int_equal(tlscert_reload(&tc, err, sizeof(err)), -1);
	assert_int_equal(errno, ENOENT);
	s = handshake(sctx, cctx, &c);
	assert_true(served(c, two_x));
	SSL_free(s);
	SSL_free(c);

	SSL_free(old_s);
	SSL_free(old_c);
	tlscert_release(&tc);
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_pair),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_reload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

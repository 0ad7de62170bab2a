/* test_jwt.c - tokens made by PyJWT (jwt_vectors.h), verified here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jwt.h"
#include "jwt_vectors.h"

static void
secret_key(struct jwt_key *k)
{
	char err[128];

	jwt_key_init(k);
	assert_int_equal(jwt_key_set_secret(k, VEC_SECRET, strlen(VEC_SECRET),
	                     err, sizeof(err)),
	    0);
}

static void
pem_key(struct jwt_key *k, const char *pem)
{
	char err[128] = "";

	jwt_key_init(k);
	if (jwt_key_set_pem(k, pem, strlen(pem), err, sizeof(err)) != 0)
		fail_msg("key refused: %s", err);
}

/* Verifies 'tok' at VEC_NOW + 'dt' and expects 'want'. */
static void
expect_at(const struct jwt_key *k, const char *tok, int64_t dt,
    enum jwt_status want)
{
	jv claims = jv_null();
	enum jwt_status st = jwt_verify(k, tok, strlen(tok), VEC_NOW + dt,
	    &claims);

	if (st != want)
		fail_msg("%s: got %s, want %s", tok, jwt_status_code(st),
		    jwt_status_code(want));
	assert_int_equal(jv_is_valid(claims), want == JWT_OK);
	if (want == JWT_OK)
		assert_int_equal(jv_get_kind(claims), JV_KIND_OBJECT);
	jv_free(claims);
}

static void
expect(const struct jwt_key *k, const char *tok, enum jwt_status want)
{
	expect_at(k, tok, 0, want);
}

static void
test_hmac(void **state)
{
	struct jwt_key k;
	jv claims;

	(void)state;
	secret_key(&k);
	assert_string_equal(jwt_key_algs(&k), "HS256, HS384, HS512");
	expect(&k, VEC_HS256, JWT_OK);
	expect(&k, VEC_HS384, JWT_OK);
	expect(&k, VEC_HS512, JWT_OK);
	expect(&k, VEC_HS256_NO_EXP, JWT_OK);
	expect(&k, VEC_HS256_OTHER_SECRET, JWT_BAD_SIGNATURE);
	assert_int_equal(jwt_verify(&k, VEC_HS256, strlen(VEC_HS256), VEC_NOW,
	                     &claims),
	    JWT_OK);
	assert_true(jv_equal(jv_object_get(jv_copy(claims), jv_string("sub")),
	    jv_number(5)));
	jv_free(claims);
	jwt_key_release(&k);
}

/* exp and nbf with JWT_LEEWAY_S either side. */
static void
test_times(void **state)
{
	struct jwt_key k;

	(void)state;
	secret_key(&k);
	expect(&k, VEC_HS256_EXPIRED, JWT_EXPIRED);
	expect(&k, VEC_HS256_EXPIRED_IN_LEEWAY, JWT_OK);
	expect_at(&k, VEC_HS256_EXPIRED_IN_LEEWAY, 1, JWT_EXPIRED);
	expect(&k, VEC_HS256_NBF_LATER, JWT_NOT_YET_VALID);
	expect_at(&k, VEC_HS256_NBF_LATER, 1, JWT_OK);
	expect(&k, VEC_HS256_NBF_IN_LEEWAY, JWT_OK);
	expect_at(&k, VEC_HS256, 3600 + JWT_LEEWAY_S - 1, JWT_OK);
	expect_at(&k, VEC_HS256, 3600 + JWT_LEEWAY_S, JWT_EXPIRED);
	expect(&k, VEC_HS256_EXP_STRING, JWT_MALFORMED);
	jwt_key_release(&k);
}

/* "none" and every algorithm but the key's are refused. */
static void
test_algorithms(void **state)
{
	struct jwt_key hs, rs, es;

	(void)state;
	secret_key(&hs);
	pem_key(&rs, VEC_RSA_PEM);
	pem_key(&es, VEC_EC_PEM);
	expect(&hs, VEC_NONE, JWT_WRONG_ALG);
	expect(&rs, VEC_NONE, JWT_WRONG_ALG);
	expect(&es, VEC_NONE, JWT_WRONG_ALG);
	expect(&hs, VEC_RS256, JWT_WRONG_ALG);
	expect(&hs, VEC_ES256, JWT_WRONG_ALG);
	expect(&rs, VEC_HS256, JWT_WRONG_ALG);
	expect(&rs, VEC_HS256_WITH_RSA_PEM, JWT_WRONG_ALG);
	expect(&rs, VEC_RS384, JWT_WRONG_ALG);
	expect(&rs, VEC_PS256, JWT_WRONG_ALG);
	expect(&rs, VEC_ES256, JWT_WRONG_ALG);
	expect(&es, VEC_RS256, JWT_WRONG_ALG);
	expect(&hs, VEC_HS256_CRIT, JWT_MALFORMED);
	jwt_key_release(&hs);
	jwt_key_release(&rs);
	jwt_key_release(&es);
}

static void
test_public_keys(void **state)
{
	struct jwt_key rs, es, other;
	char err[128];

	(void)state;
	pem_key(&rs, VEC_RSA_PEM);
	pem_key(&es, VEC_EC_PEM);
	assert_string_equal(jwt_key_algs(&rs), "RS256");
	assert_string_equal(jwt_key_algs(&es), "ES256");
	expect(&rs, VEC_RS256, JWT_OK);
	expect(&es, VEC_ES256, JWT_OK);
	/* ES256 is r||s, not the DER OpenSSL speaks. */
	expect(&es, VEC_ES256_DER, JWT_BAD_SIGNATURE);
	jwt_key_release(&rs);
	jwt_key_release(&es);

	jwt_key_init(&other);
	assert_int_equal(jwt_key_set_pem(&other, VEC_RSA1024_PEM,
	                     strlen(VEC_RSA1024_PEM), err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "1024 bits"));
	assert_int_equal(jwt_key_set_pem(&other, VEC_EC384_PEM,
	                     strlen(VEC_EC384_PEM), err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "P-256"));
	assert_int_equal(jwt_key_set_pem(&other, VEC_SECRET,
	                     strlen(VEC_SECRET), err, sizeof(err)),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(jwt_key_set_secret(&other, "", 0, err, sizeof(err)),
	    -1);
	jwt_key_release(&other);
}

/* Copies 'tok' with byte 'at' (from the end when negative) set to 'c'. */
static char *
mutate(const char *tok, long at, char c)
{
	char *t = strdup(tok);
	size_t len = strlen(tok);

	assert_non_null(t);
	t[at < 0 ? (long)len + at : at] = c;
	return t;
}

static void
expect_mutated(const struct jwt_key *k, const char *tok, long at, char c,
    enum jwt_status want)
{
	char *t = mutate(tok, at, c);

	expect(k, t, want);
	free(t);
}

/* Only the one canonical base64url spelling of three parts is taken. */
static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"", ".", "..", "a.b", "a.b.c.d", "eyJhbGciOiJIUzI1NiJ9",
		"!!!.e30.", "eyJhbGciOiJIUzI1NiJ9.e30=.",
		"eyJhbGciOiJIUzI1NiJ9 .e30.", "e.e30.",
		"W10.e30.",                 /* header [] */
		"e30.e30.",                 /* header {} without alg */
		"eyJhbGciOjF9.e30.",        /* alg 1 */
		"eyJhbGciOiJIUzI1NiIs.e30." /* cut JSON */
	};
	struct jwt_key k;
	size_t i, len;
	char *big;
	jv none;

	(void)state;
	secret_key(&k);
	expect(&k, "", JWT_MISSING);
	for (i = 1; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(&k, bad[i], JWT_MALFORMED);
	/* Signed well, but the payload is no object. */
	expect(&k, VEC_HS256_ARRAY, JWT_MALFORMED);
	/* The last of 43 characters carries 2 bits that must be 0:
	 * 'Q' is 010000, 'R' 010001. */
	assert_int_equal(VEC_HS256[strlen(VEC_HS256) - 1], 'Q');
	expect_mutated(&k, VEC_HS256, -1, 'R', JWT_MALFORMED);
	expect_mutated(&k, VEC_HS256, -1, 'U', JWT_BAD_SIGNATURE);
	/* A changed claim breaks the signature. */
	expect_mutated(&k, VEC_HS256, 40, 'A', JWT_BAD_SIGNATURE);
	/* Too long to look at. */
	len = JWT_MAX_LEN + 1;
	big = malloc(len + 1);
	assert_non_null(big);
	memset(big, 'A', len);
	big[len] = '\0';
	expect(&k, big, JWT_MALFORMED);
	free(big);
	assert_int_equal(jwt_verify(&k, NULL, 0, VEC_NOW, &none), JWT_MISSING);
	assert_false(jv_is_valid(none));
	jwt_key_release(&k);
}

static void
test_messages(void **state)
{
	enum jwt_status st;

	(void)state;
	for (st = JWT_OK; st <= JWT_FAILED; st++) {
		assert_non_null(jwt_status_message(st));
		assert_non_null(jwt_status_code(st));
	}
	assert_string_equal(jwt_status_message(JWT_EXPIRED), "token expired");
	assert_string_equal(jwt_status_code(JWT_WRONG_ALG), "wrong_alg");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_public_keys),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

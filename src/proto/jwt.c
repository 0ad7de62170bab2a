/*
 * jwt.c - JSON Web Tokens, verified with OpenSSL's EVP and HMAC.
 *
 * The order of the checks is the one that looks least at what an attacker
 * wrote before the signature is known to be good: the shape of the token,
 * the header (for the algorithm), the signature, and only then the claims.
 */
#include "jwt.h"

#include "b64.h"
#include "errbuf.h"
#include "jsonv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

/* Headers and claims are small: deeper is an attack, not a token. */
#define JWT_JSON_DEPTH 16
/* An ES256 signature: r and s, 32 bytes each (RFC 7518, section 3.4). */
#define ES256_HALF 32

enum jwt_alg {
	ALG_HS256,
	ALG_HS384,
	ALG_HS512,
	ALG_RS256,
	ALG_ES256,
};

static const struct {
	const char *name;
	enum jwt_key_kind kind;
} algs[] = {
	[ALG_HS256] = { "HS256", JWT_KEY_SECRET },
	[ALG_HS384] = { "HS384", JWT_KEY_SECRET },
	[ALG_HS512] = { "HS512", JWT_KEY_SECRET },
	[ALG_RS256] = { "RS256", JWT_KEY_RSA },
	[ALG_ES256] = { "ES256", JWT_KEY_EC },
};

static const EVP_MD *
alg_md(enum jwt_alg a)
{
	switch (a) {
	case ALG_HS384:
		return EVP_sha384();
	case ALG_HS512:
		return EVP_sha512();
	default:
		return EVP_sha256();
	}
}

void
jwt_key_init(struct jwt_key *k)
{
	memset(k, 0, sizeof(*k));
}

void
jwt_key_release(struct jwt_key *k)
{
	if (k->secret != NULL) {
		OPENSSL_cleanse(k->secret, k->secret_len);
		free(k->secret);
	}
	EVP_PKEY_free(k->pkey);
	jwt_key_init(k);
}

int
jwt_key_set_secret(struct jwt_key *k, const void *secret, size_t len,
    char *err, size_t errlen)
{
	if (len == 0)
		return errbuf_fail(EINVAL, err, errlen, "the secret is empty");
	if ((k->secret = malloc(len)) == NULL)
		return errbuf_fail(ENOMEM, err, errlen, "out of memory");
	memcpy(k->secret, secret, len);
	k->secret_len = len;
	k->kind = JWT_KEY_SECRET;
	return 0;
}

int
jwt_key_set_pem(struct jwt_key *k, const char *pem, size_t len, char *err,
    size_t errlen)
{
	BIO *bio;
	EVP_PKEY *pkey;
	char group[64];
	size_t glen;
	int bits;

	if (len > INT32_MAX)
		return errbuf_fail(EINVAL, err, errlen, "too long for a key");
	if ((bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return errbuf_fail(ENOMEM, err, errlen, "out of memory");
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL)
		return errbuf_fail(EINVAL, err, errlen,
		    "no PEM public key (\"BEGIN PUBLIC KEY\")");
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		bits = EVP_PKEY_get_bits(pkey);
		if (bits < JWT_RSA_MIN_BITS) {
			EVP_PKEY_free(pkey);
			return errbuf_fail(EINVAL, err, errlen,
			    "an RSA key of %d bits; RS256 needs %d or more",
			    bits, JWT_RSA_MIN_BITS);
		}
		k->kind = JWT_KEY_RSA;
		break;
	case EVP_PKEY_EC:
		if (EVP_PKEY_get_group_name(pkey, group, sizeof(group),
		        &glen) != 1 ||
		    strcmp(group, "prime256v1") != 0) {
			EVP_PKEY_free(pkey);
			return errbuf_fail(EINVAL, err, errlen,
			    "an EC key not on P-256; ES256 needs P-256");
		}
		k->kind = JWT_KEY_EC;
		break;
	default:
		EVP_PKEY_free(pkey);
		return errbuf_fail(EINVAL, err, errlen,
		    "neither an RSA nor an EC public key");
	}
	k->pkey = pkey;
	return 0;
}

const char *
jwt_key_algs(const struct jwt_key *k)
{
	switch (k->kind) {
	case JWT_KEY_SECRET:
		return "HS256, HS384, HS512";
	case JWT_KEY_RSA:
		return "RS256";
	case JWT_KEY_EC:
		return "ES256";
	default:
		return "none";
	}
}

/*
 * Decodes the 'len' characters at 'in', base64url without padding (RFC
 * 7515, section 2), into 'out' (room for len * 3 / 4 bytes).  Only the one
 * canonical spelling is taken: no padding, no white space, and the bits
 * past the last byte zero.  Returns the length, or -1.
 */
static long
b64url_decode(const char *in, size_t len, unsigned char *out)
{
	uint32_t acc = 0;
	size_t i, n = 0;
	int v, bits = 0;

	if (len % 4 == 1)
		return -1;
	for (i = 0; i < len; i++) {
		if ((v = b64_value((unsigned char)in[i], 1)) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	if ((acc & ((1u << bits) - 1)) != 0)
		return -1;
	return (long)n;
}

/* Decodes a part into a new buffer (*out, the caller's); -1 when bad. */
static long
decode_part(const char *in, size_t len, unsigned char **out)
{
	long n;

	/* One byte more, so that an empty part still gets a buffer. */
	if ((*out = malloc(len / 4 * 3 + 3)) == NULL)
		return -2;
	if ((n = b64url_decode(in, len, *out)) < 0) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/* Parses a decoded part as a JSON object into *out; -1 when it is not. */
static int
parse_object(const unsigned char *text, long len, jv *out)
{
	if (jsonv_parse((const char *)text, (size_t)len, JWT_JSON_DEPTH,
	        JSONV_FINITE, out) == -1)
		return -1;
	if (jv_get_kind(*out) != JV_KIND_OBJECT) {
		jv_free(*out);
		*out = jv_invalid();
		return -1;
	}
	return 0;
}

/*
 * The algorithm the header names, as an enum jwt_status: JWT_OK with *alg
 * set, JWT_MALFORMED, or JWT_WRONG_ALG when it is not one of the key's.
 */
static enum jwt_status
header_alg(const struct jwt_key *k, jv header, enum jwt_alg *alg)
{
	jv name = jv_object_get(jv_copy(header), jv_string("alg"));
	jv crit = jv_object_get(jv_copy(header), jv_string("crit"));
	enum jwt_status st = JWT_WRONG_ALG;
	size_t i, len;
	int has_crit = jv_is_valid(crit);

	jv_free(crit);
	if (jv_get_kind(name) != JV_KIND_STRING) {
		jv_free(name);
		return JWT_MALFORMED;
	}
	/* Extensions that must be understood: this code understands none
	 * (RFC 7515, section 4.1.11). */
	if (has_crit) {
		jv_free(name);
		return JWT_MALFORMED;
	}
	len = (size_t)jv_string_length_bytes(jv_copy(name));
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (strlen(algs[i].name) == len &&
		    memcmp(algs[i].name, jv_string_value(name), len) == 0) {
			if (algs[i].kind == k->kind) {
				*alg = (enum jwt_alg)i;
				st = JWT_OK;
			}
			break;
		}
	}
	jv_free(name);
	return st;
}

static enum jwt_status
verify_hmac(const struct jwt_key *k, enum jwt_alg alg, const char *input,
    size_t len, const unsigned char *sig, long siglen)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (HMAC(alg_md(alg), k->secret, (int)k->secret_len,
	        (const unsigned char *)input, len, md, &mdlen) == NULL)
		return JWT_FAILED;
	if ((long)mdlen != siglen || CRYPTO_memcmp(md, sig, mdlen) != 0)
		return JWT_BAD_SIGNATURE;
	return JWT_OK;
}

/*
 * ES256 signs with r and s side by side (RFC 7518, section 3.4); OpenSSL
 * verifies the DER ECDSA-Sig-Value of X9.62.  Returns the DER length, 0
 * when 'sig' is no such pair, -1 when out of memory.
 */
static int
es256_der(const unsigned char *sig, long siglen, unsigned char **der)
{
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	int n;

	*der = NULL;
	if (siglen != 2 * ES256_HALF)
		return 0;
	r = BN_bin2bn(sig, ES256_HALF, NULL);
	s = BN_bin2bn(sig + ES256_HALF, ES256_HALF, NULL);
	if (r == NULL || s == NULL || (es = ECDSA_SIG_new()) == NULL) {
		BN_free(r);
		BN_free(s);
		return -1;
	}
	ECDSA_SIG_set0(es, r, s); /* es owns r and s now */
	n = i2d_ECDSA_SIG(es, der);
	ECDSA_SIG_free(es);
	return n > 0 ? n : -1;
}

static enum jwt_status
verify_pkey(const struct jwt_key *k, enum jwt_alg alg, const char *input,
    size_t len, const unsigned char *sig, long siglen)
{
	EVP_MD_CTX *ctx;
	unsigned char *der = NULL;
	enum jwt_status st = JWT_FAILED;
	int n;

	if (alg == ALG_ES256) {
		if ((n = es256_der(sig, siglen, &der)) == 0)
			return JWT_BAD_SIGNATURE;
		if (n < 0)
			return JWT_FAILED;
		sig = der;
		siglen = n;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;
	/* RSA keys verify PKCS #1 v1.5 unless told otherwise: RS256's. */
	if (EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) != 1)
		goto out;
	st = EVP_DigestVerify(ctx, sig, (size_t)siglen,
	         (const unsigned char *)input, len) == 1 ?
	    JWT_OK :
	    JWT_BAD_SIGNATURE;
out:
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return st;
}

/* "exp" and "nbf" against 'now', with the leeway. */
static enum jwt_status
check_times(jv claims, int64_t now)
{
	jv exp = jv_object_get(jv_copy(claims), jv_string("exp"));
	jv nbf = jv_object_get(jv_copy(claims), jv_string("nbf"));
	enum jwt_status st = JWT_OK;

	if ((jv_is_valid(exp) && jv_get_kind(exp) != JV_KIND_NUMBER) ||
	    (jv_is_valid(nbf) && jv_get_kind(nbf) != JV_KIND_NUMBER))
		st = JWT_MALFORMED;
	else if (jv_is_valid(exp) &&
	    (double)now >= jv_number_value(exp) + JWT_LEEWAY_S)
		st = JWT_EXPIRED;
	else if (jv_is_valid(nbf) &&
	    (double)now + JWT_LEEWAY_S < jv_number_value(nbf))
		st = JWT_NOT_YET_VALID;
	jv_free(exp);
	jv_free(nbf);
	return st;
}

enum jwt_status
jwt_verify(const struct jwt_key *k, const char *token, size_t len, int64_t now,
    jv *claims)
{
	const char *dot1, *dot2, *end = token + len;
	unsigned char *hbuf = NULL, *pbuf = NULL, *sbuf = NULL;
	long hlen, plen, slen;
	enum jwt_status st;
	enum jwt_alg alg = ALG_HS256;
	jv header = jv_invalid();

	*claims = jv_invalid();
	if (token == NULL || len == 0)
		return JWT_MISSING;
	if (len > JWT_MAX_LEN || k->kind == JWT_KEY_NONE)
		return JWT_MALFORMED;
	/* header.payload.signature: exactly two dots. */
	if ((dot1 = memchr(token, '.', len)) == NULL ||
	    (dot2 = memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1))) == NULL ||
	    memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)) != NULL)
		return JWT_MALFORMED;
	st = JWT_MALFORMED;
	hlen = decode_part(token, (size_t)(dot1 - token), &hbuf);
	plen = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), &pbuf);
	slen = decode_part(dot2 + 1, (size_t)(end - dot2 - 1), &sbuf);
	if (hlen == -2 || plen == -2 || slen == -2) {
		st = JWT_FAILED;
		goto out;
	}
	if (hlen < 0 || plen < 0 || slen < 0)
		goto out;
	if (parse_object(hbuf, hlen, &header) == -1)
		goto out;
	if ((st = header_alg(k, header, &alg)) != JWT_OK)
		goto out;
	/* The signature covers the parts as sent, dot included. */
	st = k->kind == JWT_KEY_SECRET ?
	    verify_hmac(k, alg, token, (size_t)(dot2 - token), sbuf, slen) :
	    verify_pkey(k, alg, token, (size_t)(dot2 - token), sbuf, slen);
	if (st != JWT_OK)
		goto out;
	if (parse_object(pbuf, plen, claims) == -1) {
		st = JWT_MALFORMED;
		goto out;
	}
	if ((st = check_times(*claims, now)) != JWT_OK) {
		jv_free(*claims);
		*claims = jv_invalid();
	}
out:
	jv_free(header);
	free(hbuf);
	free(pbuf);
	free(sbuf);
	return st;
}

const char *
jwt_status_message(enum jwt_status st)
{
	switch (st) {
	case JWT_OK:
		return "token valid";
	case JWT_MISSING:
		return "no token";
	case JWT_MALFORMED:
		return "malformed token";
	case JWT_BAD_SIGNATURE:
		return "bad token signature";
	case JWT_EXPIRED:
		return "token expired";
	case JWT_NOT_YET_VALID:
		return "token not yet valid";
	case JWT_WRONG_ALG:
		return "token algorithm not accepted";
	case JWT_FAILED:
		break;
	}
	return "cannot verify the token";
}

const char *
jwt_status_code(enum jwt_status st)
{
	switch (st) {
	case JWT_OK:
		return "ok";
	case JWT_MISSING:
		return "missing";
	case JWT_MALFORMED:
		return "malformed";
	case JWT_BAD_SIGNATURE:
		return "bad_signature";
	case JWT_EXPIRED:
		return "expired";
	case JWT_NOT_YET_VALID:
		return "not_yet_valid";
	case JWT_WRONG_ALG:
		return "wrong_alg";
	case JWT_FAILED:
		break;
	}
	return "failed";
}

/*
 * fuzz_jwt.c - libFuzzer target for jwt_verify.  The first byte picks what
 * the rest is: a token verified with an HMAC secret, an RSA key and a
 * P-256 key (odd), or the "header.payload" of a token that this target
 * signs with HS256 first, so that the claims are reached (even).  A token
 * is valid with its claims an object, or refused with a status in range
 * and no claims; nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "../unit/jwt_vectors.h"
#include "jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct jwt_key keys[3];
static int ready;

static void
setup(void)
{
	char err[128];

	jwt_key_init(&keys[0]);
	jwt_key_init(&keys[1]);
	jwt_key_init(&keys[2]);
	if (jwt_key_set_secret(&keys[0], VEC_SECRET, strlen(VEC_SECRET), err,
	        sizeof(err)) == -1 ||
	    jwt_key_set_pem(&keys[1], VEC_RSA_PEM, strlen(VEC_RSA_PEM), err,
	        sizeof(err)) == -1 ||
	    jwt_key_set_pem(&keys[2], VEC_EC_PEM, strlen(VEC_EC_PEM), err,
	        sizeof(err)) == -1)
		abort();
	ready = 1;
}

static void
check(const struct jwt_key *k, const char *tok, size_t len)
{
	jv claims;
	enum jwt_status st = jwt_verify(k, tok, len, VEC_NOW, &claims);

	if (st > JWT_FAILED || jwt_status_message(st) == NULL)
		abort();
	if ((st == JWT_OK) != jv_is_valid(claims))
		abort();
	if (st == JWT_OK && jv_get_kind(claims) != JV_KIND_OBJECT)
		abort();
	jv_free(claims);
}

/* Appends ".<base64url HS256 of tok>" to 'tok' ('len' bytes, room for 44
 * more). */
static size_t
sign(char *tok, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	uint32_t acc = 0;
	int bits = 0;

	if (HMAC(EVP_sha256(), VEC_SECRET, (int)strlen(VEC_SECRET),
	        (const unsigned char *)tok, len, md, &mdlen) == NULL)
		abort();
	tok[len++] = '.';
	for (i = 0; i < mdlen; i++) {
		acc = (acc << 8) | md[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			tok[len++] = b64[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		tok[len++] = b64[(acc << (6 - bits)) & 63];
	return len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok;
	size_t len;

	if (!ready)
		setup();
	if (size == 0)
		return 0;
	len = size - 1;
	if ((tok = malloc(len + 64)) == NULL)
		return 0;
	memcpy(tok, data + 1, len);
	if (data[0] & 1) {
		check(&keys[0], tok, len);
		check(&keys[1], tok, len);
		check(&keys[2], tok, len);
	} else {
		len = sign(tok, len);
		check(&keys[0], tok, len);
	}
	free(tok);
	return 0;
}

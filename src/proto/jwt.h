/*
 * jwt.h - JSON Web Tokens (RFC 7519) in JWS compact form, verified.
 * Owns: a verification key (an HMAC secret, or an RSA or P-256 public
 * key), and deciding whether a token is signed by it and valid now.
 * Pure: no I/O, no clock of its own (the caller says what time it is);
 * the signatures are OpenSSL's.
 */
#ifndef GEOROOM_JWT_H
#define GEOROOM_JWT_H

#include <stddef.h>
#include <stdint.h>

#include <jv.h>

/* Seconds a clock may be off: a token is taken until this long after its
 * "exp" and from this long before its "nbf". */
#define JWT_LEEWAY_S 30
/* The longest token looked at; a longer one is malformed. */
#define JWT_MAX_LEN 8192
/* An RSA key shorter than this is refused (RFC 7518, section 3.3). */
#define JWT_RSA_MIN_BITS 2048

enum jwt_key_kind {
	JWT_KEY_NONE,
	JWT_KEY_SECRET, /* HS256, HS384, HS512 */
	JWT_KEY_RSA,    /* RS256 */
	JWT_KEY_EC,     /* ES256, on P-256 only */
};

struct evp_pkey_st; /* OpenSSL's EVP_PKEY */

struct jwt_key {
	enum jwt_key_kind kind;
	unsigned char *secret; /* owned, with JWT_KEY_SECRET */
	size_t secret_len;
	struct evp_pkey_st *pkey; /* owned, with JWT_KEY_RSA or _EC */
};

/* Why a token was refused; jwt_status_message() words each. */
enum jwt_status {
	JWT_OK,
	JWT_MISSING,       /* no token at all */
	JWT_MALFORMED,     /* not three base64url parts of JSON objects */
	JWT_BAD_SIGNATURE, /* not signed by the key */
	JWT_EXPIRED,       /* "exp" passed, beyond the leeway */
	JWT_NOT_YET_VALID, /* "nbf" to come, beyond the leeway */
	JWT_WRONG_ALG,     /* "none", or not the key's algorithm */
	JWT_FAILED,        /* could not verify: out of memory */
};

void jwt_key_init(struct jwt_key *k);

/* Frees what the key holds; it is then as after jwt_key_init(). */
void jwt_key_release(struct jwt_key *k);

/*
 * Makes 'k' (initialised, empty) the HMAC secret of 'len' bytes at
 * 'secret' (copied).  Returns 0, or -1 with errno EINVAL (empty) or ENOMEM
 * and the reason in 'err'.
 */
int jwt_key_set_secret(struct jwt_key *k, const void *secret, size_t len,
    char *err, size_t errlen);

/*
 * Makes 'k' (initialised, empty) the public key in the PEM text of 'len'
 * bytes at 'pem' ("BEGIN PUBLIC KEY": an RSA key of JWT_RSA_MIN_BITS or
 * more, or an EC key on P-256).  Returns 0, or -1 with errno EINVAL or
 * ENOMEM and the reason in 'err'.
 */
int jwt_key_set_pem(struct jwt_key *k, const char *pem, size_t len, char *err,
    size_t errlen);

/* The algorithms 'k' verifies, for messages: e.g. "HS256, HS384, HS512". */
const char *jwt_key_algs(const struct jwt_key *k);

/*
 * Verifies the token of 'len' bytes at 'token' (NULL or empty: missing)
 * with 'k' at time 'now' (seconds since the epoch).  The header must name
 * one of the key's algorithms and no "crit" extension; the payload must be
 * a JSON object whose "exp" and "nbf", when present, are numbers.  On
 * JWT_OK, *claims is the payload (the caller owns it); otherwise it is
 * invalid.
 */
enum jwt_status jwt_verify(const struct jwt_key *k, const char *token,
    size_t len, int64_t now, jv *claims);

/* A static phrase for a message, e.g. "token expired". */
const char *jwt_status_message(enum jwt_status st);

/* A static word for programs, e.g. "expired". */
const char *jwt_status_code(enum jwt_status st);

#endif

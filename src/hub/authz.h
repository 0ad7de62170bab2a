/*
 * authz.h - what a token's claims let a socket do.
 * Owns: reading "sub", "rooms" and "publish" from verified claims, matching
 * room names against their patterns, and writing a payload's "userId" as
 * the token's "sub".  Pure: no I/O; it never sees the hub or the token.
 */
#ifndef GEOROOM_AUTHZ_H
#define GEOROOM_AUTHZ_H

#include <stddef.h>

#include <jv.h>

/* The most patterns one claim may list. */
#define AUTHZ_PATTERNS_MAX 1024

/* One room name, or with 'prefix' every name that starts with it. */
struct authz_pattern {
	char *s; /* owned: 'len' bytes, NUL-terminated */
	size_t len;
	int prefix; /* it was written with a trailing '*' */
};

/* A claim listing rooms; absent, it limits nothing by itself. */
struct authz_list {
	struct authz_pattern *p; /* owned array */
	size_t n;
	int present;
};

struct authz {
	jv sub;                    /* owned: a string or a number */
	struct authz_list rooms;   /* absent: any room may be joined */
	struct authz_list publish; /* absent: the rooms joined */
};

/*
 * Fills 'a' from 'claims' (borrowed), a verified token's payload: "sub"
 * must be a non-empty string or a number; "rooms" and "publish", when
 * there, arrays of non-empty strings, each a room name or, ending in '*',
 * a prefix ("*" alone: every room).  Returns 0, or -1 with errno EINVAL
 * (the reason in 'err') or ENOMEM, and 'a' holds nothing.
 */
int authz_init(struct authz *a, jv claims, char *err, size_t errlen);

/* Frees what 'a' holds. */
void authz_release(struct authz *a);

/* Whether the token lets its socket join room 'room' ('len' bytes). */
int authz_may_join(const struct authz *a, const char *room, size_t len);

/*
 * Whether the token lets its socket send to room 'room' ('len' bytes),
 * which it has joined ('joined' true) or not.
 */
int authz_may_publish(const struct authz *a, const char *room, size_t len,
    int joined);

/*
 * The JSON object text of 'len' bytes at 'obj' (well-formed, checked by
 * the caller) with every member named "userId" (escapes resolved) left
 * out and "userId": a->sub put first.  Returns it (the caller frees it)
 * with its length in *outlen, or NULL (ENOMEM, or EINVAL when 'obj' is no
 * object).
 */
char *authz_with_user(const struct authz *a, const char *obj, size_t len,
    size_t *outlen);

#endif

/*
 * jsonw.h - one JSON object written member by member into a buf, its
 * keys in the order written, its values as JSON.stringify writes them.
 * Owns: nothing but the struct; the first failure sticks, and the object
 * ends up whole or not at all.  Pure: no I/O and no globals.
 */
#ifndef GEOROOM_JSONW_H
#define GEOROOM_JSONW_H

#include <stddef.h>
#include <sys/uio.h>

#include <jv.h>

#include "buf.h"

struct jsonw {
	struct buf *out; /* borrowed */
	size_t start;    /* where the object began in 'out' */
	int n;           /* members so far */
	int rc;          /* 0, or -1 once something failed (errno kept) */
};

/* Starts an object at the end of 'out' (an object inside another one
 * too: write its key, then begin it on the same buf). */
void jsonw_begin(struct jsonw *w, struct buf *out);

/* Appends 's' as it is: punctuation, or JSON text known to be valid. */
void jsonw_raw(struct jsonw *w, const char *s);

/* The same for 'len' bytes at 's'. */
void jsonw_rawn(struct jsonw *w, const char *s, size_t len);

/* Starts a member: the comma before all but the first, then "key":.
 * 'key' is written as it is, and needs no escape. */
void jsonw_key(struct jsonw *w, const char *key);

/* Values: a string of any bytes (mpjson_put_json_string()), a number as
 * JavaScript writes it, a jv (borrowed; mpjson_put_jv_json()), an array
 * of 'n' strings. */
void jsonw_str(struct jsonw *w, const char *s, size_t len);
void jsonw_num(struct jsonw *w, double d);
void jsonw_jv(struct jsonw *w, jv v);
void jsonw_strings(struct jsonw *w, const struct iovec *v, size_t n);

/* Takes the outcome of an object written inside this one. */
void jsonw_inner(struct jsonw *w, const struct jsonw *inner);

/*
 * Ends the object with its '}'.  Returns 0, or -1 with errno (ENOBUFS,
 * ENOMEM, EINVAL) and 'out' cut back to where the object began.
 */
int jsonw_end(struct jsonw *w);

#endif

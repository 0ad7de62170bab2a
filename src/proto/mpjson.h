/*
 * mpjson.h - JSON values in MessagePack, as Node's notepack.io writes and
 * reads them, and the JSON text JSON.stringify writes of them.
 * Owns: JSON text (Socket.IO attachment placeholders included) to
 * MessagePack; MessagePack to JSON text (binaries back to placeholders)
 * and to libjq values; libjq values to MessagePack and to JSON text.
 * Pure: no I/O and no globals; it writes only into the caller's buffers,
 * besides the jv values it returns.
 */
#ifndef GEOROOM_MPJSON_H
#define GEOROOM_MPJSON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <jv.h>

#include "buf.h"
#include "mpack.h"

/*
 * Appends to 'out' the MessagePack of the JSON value that is the 'len'
 * bytes at 'json' (whitespace around it allowed), holding at most
 * 'max_depth' nested arrays and objects, as notepack.io encodes what
 * JSON.parse returns: strings as str (escapes resolved, a lone surrogate
 * as U+FFFD, as Buffer.byteLength() counts it), numbers by
 * mpack_put_number(), objects as maps in the order written.
 *
 * When 'att' is not NULL the text is a Socket.IO packet's: an object
 * whose "_placeholder" is true is an attachment placeholder, as
 * socket.io-parser's reconstructPacket reads one, and becomes a bin of
 * the bytes of att[num]; its "num" must be a whole number below 'natt'.
 * Otherwise such objects are data.
 *
 * Where JSON.parse and notepack.io would write other bytes, the value
 * notepack.io decodes is still the one: an object's duplicate keys are
 * all written (a reader keeps the last, as JSON.parse does), and keys
 * that are array indices stay where they are (JavaScript lists them
 * first, readers order them again).
 *
 * Returns 0, or -1 with a reason in 'err' (when errlen > 0), errno set
 * (EINVAL, ELOOP, ENOBUFS, ENOMEM) and 'out' as it was.
 */
int mpjson_from_json(struct buf *out, const char *json, size_t len,
    const struct iovec *att, unsigned natt, int max_depth, char *err,
    size_t errlen);

/* Where mpjson_to_json() puts the binaries it meets. */
struct mpjson_att {
	struct iovec *v; /* the caller's array of 'max' */
	unsigned n;      /* used */
	unsigned max;
};

/*
 * Reads the value at the cursor and appends to 'text' the JSON text
 * JSON.stringify writes of what notepack.io decodes: numbers as
 * JavaScript writes them (NaN and infinities as null), strings escaped as
 * it escapes them (bytes that are not UTF-8 decoded to U+FFFD as
 * Buffer.toString() does), a map's keys listed as a JavaScript object
 * lists them (array indices first, in ascending order, then the others
 * in the order they first came; a repeated key keeps its first place and
 * its last value; "__proto__" dropped, as the assignment notepack.io
 * makes sets the prototype instead).  A binary becomes the placeholder
 * {"_placeholder":true,"num":N}, numbered in the order socket.io-parser's
 * deconstructPacket meets them, and its bytes (borrowed from the input)
 * go to att->v[N]; with 'att' NULL a binary is refused.
 *
 * The value may hold at most 'max_depth' nested arrays and maps.  Map
 * keys must be strings (notepack.io would turn 1 and "1" into the same
 * key).  'scratch' is the caller's work space for ordering keys; it needs
 * about 24 bytes a pair of each map being read, and is left empty.
 *
 * Returns 0, or -1 with a reason in 'err' (when errlen > 0) and errno set
 * (EINVAL, ENOTSUP, ELOOP, EMSGSIZE: more binaries than att->max,
 * ENOBUFS, ENOMEM); 'text' and 'att' then hold part of the value.
 */
int mpjson_to_json(struct mpack_cur *c, struct buf *text, struct buf *scratch,
    struct mpjson_att *att, int max_depth, char *err, size_t errlen);

/*
 * Reads the value at the cursor into *out, as notepack.io decodes it and
 * JSON.stringify would write it: a binary becomes {"type":"Buffer",
 * "data":[bytes]}, as Buffer's toJSON() has it.  Map keys must be
 * strings; "__proto__" is dropped as in mpjson_to_json().  At most
 * 'max_depth' nested arrays and maps.  Returns 0, or -1 with *out
 * invalid, a reason in 'err' and errno set as mpjson_to_json().
 */
int mpjson_to_jv(struct mpack_cur *c, int max_depth, jv *out, char *err,
    size_t errlen);

/*
 * Appends the MessagePack of 'v' (borrowed), as notepack.io writes the
 * same value made by JSON.parse: numbers by mpack_put_number(), objects
 * with their keys in the order 'v' holds them.  Returns 0, or -1 with
 * errno EINVAL ('v' is invalid), ENOBUFS or ENOMEM, and 'out' as it was.
 */
int mpjson_put_jv(struct buf *out, jv v);

/*
 * Appends the JSON text JSON.stringify writes of 'v' (borrowed): numbers
 * as JavaScript writes them (non-finite ones as null), strings escaped as
 * it escapes them, object keys that are array indices first in ascending
 * order, then the others in the order the object holds them.  Returns 0,
 * or -1 with errno EINVAL ('v' is invalid), ENOBUFS or ENOMEM.
 */
int mpjson_put_jv_json(struct buf *out, jv v);

/*
 * Appends the 'len' bytes at 's' as a JSON string literal escaped as
 * JSON.stringify escapes, bytes that are not UTF-8 read as U+FFFD as
 * Buffer.toString() reads them.  Returns 0, or -1 with errno ENOBUFS or
 * ENOMEM.
 */
int mpjson_put_json_string(struct buf *out, const char *s, size_t len);

#endif

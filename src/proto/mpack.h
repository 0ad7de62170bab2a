/*
 * mpack.h - MessagePack items, read and written as Node's notepack.io
 * writes and reads them.
 * Owns: a reader over a caller's bytes that checks every length and count
 * against the bytes left, and writers that choose the smallest form, as
 * notepack.io does.  Pure: no I/O, no globals, no allocation but into the
 * caller's buffer.  (Not the mpack library.)
 *
 * Why not msgpack-c's unpacker: it nests at most 32 deep (a compile-time
 * constant of the library, below Socket.IO's SIO_JSON_DEPTH_MAX), and it
 * allocates an array's elements from the count in its header before any
 * of them has arrived, so that the 5 bytes dd ff ff ff ff ask malloc() for
 * 100 GB.  Writing goes through msgpack-c's packer, whose choice of the
 * smallest form is notepack.io's.
 */
#ifndef GEOROOM_MPACK_H
#define GEOROOM_MPACK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* One MessagePack item: a scalar whole, or the header of a container. */
enum mpack_kind {
	MPACK_NIL,
	MPACK_BOOL,
	MPACK_NUMBER,
	MPACK_STR,
	MPACK_BIN,
	MPACK_ARRAY,
	MPACK_MAP,
};

struct mpack_item {
	enum mpack_kind kind;
	int b; /* BOOL */
	/* NUMBER: the value JavaScript gets from notepack.io (an integer past
	 * 2^53 rounded to the nearest double; a float 32 widened). */
	double num;
	const char *str; /* STR, BIN: the bytes, borrowed from the input */
	size_t len; /* STR, BIN: their length; ARRAY: elements; MAP: pairs */
};

/* A cursor over MessagePack bytes the caller keeps alive. */
struct mpack_cur {
	const unsigned char *p; /* the next byte */
	const unsigned char *end;
};

void mpack_cur_init(struct mpack_cur *c, const void *data, size_t len);

/*
 * Reads the next item, stepping over a string's or a binary's bytes but
 * not over a container's elements.  Returns 0, or -1 with errno set:
 * EINVAL (truncated, or the byte 0xc1 that no format uses; an array or a
 * map counting more elements than bytes are left is truncated) or ENOTSUP
 * (an ext type: notepack.io reads some as Date or undefined, which JSON
 * has not).  On failure the cursor is somewhere inside: start over.
 */
int mpack_next(struct mpack_cur *c, struct mpack_item *it);

/*
 * Steps over the whole value at the cursor, which may hold at most
 * 'max_depth' nested arrays and maps.  Returns 0, or -1 with errno as
 * mpack_next() or ELOOP (nested deeper).
 */
int mpack_skip(struct mpack_cur *c, int max_depth);

/* A phrase for an errno that the functions here set. */
const char *mpack_strerror(int err);

/*
 * Writers, each appending one item as notepack.io would write it: the
 * smallest form that holds it.  Each returns 0, or -1 with errno ENOBUFS
 * ('out' would pass its cap), ENOMEM, or EMSGSIZE (a length of 2^32 or
 * more, which MessagePack cannot say).
 */
int mpack_put_nil(struct buf *out);
int mpack_put_bool(struct buf *out, int b);
/*
 * A number as notepack.io writes it: an integer as the smallest int or
 * uint format (-0 as 0), anything else as a float 64.  Unlike
 * notepack.io, an integer beyond the 64-bit formats (2^64, 1e21) is a
 * float 64 as well: notepack.io writes it modulo 2^64 (1e21 arrives as
 * 3875820019684212700, 2^64 as 0), which no reader can undo.
 */
int mpack_put_number(struct buf *out, double d);
int mpack_put_str(struct buf *out, const char *s, size_t len);
int mpack_put_bin(struct buf *out, const void *p, size_t len);
int mpack_put_array(struct buf *out, size_t n);
int mpack_put_map(struct buf *out, size_t n);

/*
 * The header of a str of 'len' bytes, which the caller then appends.
 * Returns 0, or -1 as the writers.
 */
int mpack_put_str_header(struct buf *out, size_t len);

/* The largest header of an array or a map. */
#define MPACK_HEAD_MAX 5

/*
 * Writes into 'p' the smallest header of an array (or, with 'map' set, a
 * map) of 'n' elements (pairs), n < 2^32; returns its length.
 */
size_t mpack_header(unsigned char p[MPACK_HEAD_MAX], int map, size_t n);

#endif

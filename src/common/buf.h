/*
 * buf.h - a growable byte buffer with a cap fixed when it is set up.
 * Owns: one allocation, the bytes held in it (always followed by a NUL
 * once allocated, so that text can be used as a C string), growth by
 * doubling up to the cap, and bytes consumed from the front without a
 * copy.  As curl's dynbuf (docs/internals/DYNBUF.md): no buffer grows
 * without a limit.  Pure: no I/O; a caller that reads asks for room with
 * buf_space() and says how much it wrote with buf_commit().
 */
#ifndef GEOROOM_BUF_H
#define GEOROOM_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* the bytes held, then a NUL; NULL until the first growth */
	size_t len; /* bytes held at 'data' */
	size_t max; /* the most bytes it may hold; set by buf_init() */
	/* Private: */
	char *mem;  /* owned; the allocation, 'data' points into it */
	size_t cap; /* size of 'mem', the NUL's byte included */
};

/*
 * Sets up an empty buffer that will never hold more than 'max' bytes
 * (at most SIZE_MAX - 1).  Allocates nothing.  A zeroed struct buf is the
 * same as one set up with a cap of 0; an owner whose limit is known only
 * later may set 'max' while the buffer is empty, never once it holds data.
 */
void buf_init(struct buf *b, size_t max);

/* Frees the allocation; 'b' is empty, with the same cap, and may be used. */
void buf_release(struct buf *b);

/*
 * Makes room for 'n' more bytes after the data, without moving it again
 * until then.  0, or -1 with errno ENOBUFS (more than 'max' bytes would be
 * held) or ENOMEM; the data is unchanged on failure.
 */
int buf_reserve(struct buf *b, size_t n);

/* Bytes allocated for 'b' (its NUL's included); 0 before it first grows. */
size_t buf_allocated(const struct buf *b);

/* Appends 'n' bytes (the NUL is kept after them).  0, or -1 as above. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Appends the C string 's'.  0, or -1 as buf_reserve(). */
int buf_appends(struct buf *b, const char *s);

/*
 * Where the next bytes go, directly after the data; *room is how many fit
 * without growing (0, and NULL returned, before any growth).  Write there,
 * then call buf_commit().
 */
char *buf_space(struct buf *b, size_t *room);

/* Records 'n' bytes written into the space (n <= room), then a NUL. */
void buf_commit(struct buf *b, size_t n);

/*
 * Drops the first 'n' bytes (n <= len) without moving the rest: 'data'
 * advances, and the room before it is reclaimed by a later growth.
 */
void buf_consume(struct buf *b, size_t n);

/* Empties the buffer and keeps the allocation. */
void buf_reset(struct buf *b);

/*
 * Empties the buffer and frees an allocation larger than 'keep' bytes, so
 * that one big use does not pin memory for the owner's life.
 */
void buf_shrink(struct buf *b, size_t keep);

/*
 * Hands the data over as a malloc'd C string (its length in *len unless
 * 'len' is NULL), allocating one for an empty buffer; 'b' is left empty,
 * with the same cap.  NULL with errno ENOMEM, and 'b' unchanged, on
 * failure.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif

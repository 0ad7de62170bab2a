/* buf.c - a growable byte buffer with a cap (see buf.h). */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The smallest allocation made. */
#define BUF_MIN 64

void
buf_init(struct buf *b, size_t max)
{
	b->data = b->mem = NULL;
	b->len = b->cap = 0;
	b->max = max < SIZE_MAX ? max : SIZE_MAX - 1;
}

void
buf_release(struct buf *b)
{
	free(b->mem);
	buf_init(b, b->max);
}

/* Bytes free after the data and its NUL. */
static size_t
tail_room(const struct buf *b)
{
	if (b->mem == NULL)
		return 0;
	return b->cap - (size_t)(b->data - b->mem) - b->len - 1;
}

int
buf_reserve(struct buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > b->max - b->len) {
		errno = ENOBUFS;
		return -1;
	}
	if (b->mem != NULL && tail_room(b) >= n)
		return 0;
	/* Reclaim what was consumed before growing. */
	if (b->data != b->mem) {
		memmove(b->mem, b->data, b->len + 1);
		b->data = b->mem;
		if (tail_room(b) >= n)
			return 0;
	}
	need = b->len + n + 1; /* no overflow: len + n <= max < SIZE_MAX */
	cap = b->cap ? b->cap : BUF_MIN;
	while (cap < need && cap <= SIZE_MAX / 2)
		cap *= 2;
	if (cap < need)
		cap = need;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if ((p = realloc(b->mem, cap)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (b->mem == NULL)
		p[0] = '\0';
	b->mem = b->data = p;
	b->cap = cap;
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	buf_commit(b, n);
	return 0;
}

int
buf_appends(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

char *
buf_space(struct buf *b, size_t *room)
{
	*room = tail_room(b);
	return b->data == NULL ? NULL : b->data + b->len;
}

void
buf_commit(struct buf *b, size_t n)
{
	if (b->data == NULL)
		return;
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	b->data += n;
	b->len -= n;
}

size_t
buf_allocated(const struct buf *b)
{
	return b->mem != NULL ? b->cap : 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data = b->mem;
	if (b->mem != NULL)
		b->mem[0] = '\0';
}

void
buf_shrink(struct buf *b, size_t keep)
{
	if (b->cap > keep)
		buf_release(b);
	else
		buf_reset(b);
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (b->mem == NULL && buf_reserve(b, 0) == -1)
		return NULL;
	if (b->data != b->mem)
		memmove(b->mem, b->data, b->len + 1);
	s = b->mem;
	if (len != NULL)
		*len = b->len;
	buf_init(b, b->max);
	return s;
}

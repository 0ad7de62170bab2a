/* outq.c - refcounted frames and ring queues of frame references. */
#include "outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct frame *
frame_new(size_t len)
{
	struct frame *f;

	if (len > UINT32_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	f = malloc(sizeof(*f) + len);
	if (f == NULL)
		return NULL;
	f->refs = 1;
	f->len = (uint32_t)len;
	f->tag = 0;
	return f;
}

struct frame *
frame_ref(struct frame *f)
{
	f->refs++;
	return f;
}

void
frame_unref(struct frame *f)
{
	if (f != NULL && --f->refs == 0)
		free(f);
}

void
outq_init(struct outq *q)
{
	memset(q, 0, sizeof(*q));
}

void
outq_release(struct outq *q)
{
	outq_drop(q, q->count);
	free(q->ring);
	outq_init(q);
}

/* Where the i-th queued reference is. */
static struct frame **
slot(struct outq *q, uint32_t i)
{
	return q->ring == NULL ? &q->one :
	                         &q->ring[(q->head + i) & (q->cap - 1)];
}

static struct frame *
at(const struct outq *q, uint32_t i)
{
	return q->ring == NULL ? q->one :
	                         q->ring[(q->head + i) & (q->cap - 1)];
}

static int
grow(struct outq *q)
{
	uint32_t ncap = q->ring != NULL ? q->cap * 2 : 8, i;
	struct frame **nr;

	nr = malloc(sizeof(*nr) * ncap);
	if (nr == NULL)
		return -1;
	for (i = 0; i < q->count; i++)
		nr[i] = at(q, i);
	free(q->ring);
	q->ring = nr;
	q->cap = ncap;
	q->head = 0;
	return 0;
}

int
outq_push_latest(struct outq *q, struct frame *f, size_t max_bytes,
    uint32_t max_frames)
{
	uint32_t i;

	/* Nothing queued is written yet (a write drops what it took), so
	 * any queued frame may be replaced.  Newest first: a match, if any,
	 * is usually near the end. */
	for (i = q->count; f->tag != 0 && i-- > 0;) {
		struct frame **s = slot(q, i);

		if ((*s)->tag != f->tag)
			continue;
		if (q->bytes - (*s)->len + f->len > max_bytes) {
			errno = ENOBUFS;
			return -1;
		}
		q->bytes = q->bytes - (*s)->len + f->len;
		frame_unref(*s);
		*s = frame_ref(f);
		return 1;
	}
	return outq_push(q, f, max_bytes, max_frames);
}

int
outq_push(struct outq *q, struct frame *f, size_t max_bytes,
    uint32_t max_frames)
{
	if (q->count + 1 > max_frames || q->bytes + f->len > max_bytes) {
		errno = ENOBUFS;
		return -1;
	}
	if (q->count == (q->ring != NULL ? q->cap : 1) && grow(q) == -1) {
		errno = ENOMEM;
		return -1;
	}
	*slot(q, q->count) = frame_ref(f);
	q->count++;
	q->bytes += f->len;
	return 0;
}

size_t
outq_batch(const struct outq *q, unsigned char *scratch, size_t cap,
    const unsigned char **out, uint32_t *nframes)
{
	const struct frame *first;
	size_t len = 0;
	uint32_t n = 0;

	*nframes = 0;
	*out = NULL;
	if (q->count == 0)
		return 0;
	first = at(q, 0);
	if (q->count == 1 || first->len > cap ||
	    first->len + at(q, 1)->len > cap) {
		*out = first->data;
		*nframes = 1;
		return first->len;
	}
	while (n < q->count) {
		const struct frame *f = at(q, n);

		if (len + f->len > cap)
			break;
		memcpy(scratch + len, f->data, f->len);
		len += f->len;
		n++;
	}
	*out = scratch;
	*nframes = n;
	return len;
}

struct frame *
outq_at(const struct outq *q, uint32_t i)
{
	return at(q, i);
}

void
outq_drop(struct outq *q, uint32_t n)
{
	while (n-- > 0 && q->count > 0) {
		struct frame *f = at(q, 0);

		q->bytes -= f->len;
		frame_unref(f);
		if (q->ring != NULL)
			q->head = (q->head + 1) & (q->cap - 1);
		q->count--;
	}
	if (q->count == 0)
		q->head = 0;
}

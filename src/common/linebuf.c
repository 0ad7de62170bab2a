/* linebuf.c - input bytes cut into lines, in a buffer with a fixed cap. */
#include "linebuf.h"

#include <stdlib.h>
#include <string.h>

int
linebuf_init(struct linebuf *lb, size_t cap)
{
	memset(lb, 0, sizeof(*lb));
	if (cap < 2 || (lb->buf = malloc(cap)) == NULL)
		return -1;
	lb->cap = cap;
	return 0;
}

void
linebuf_release(struct linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof(*lb));
}

size_t
linebuf_space(struct linebuf *lb, char **at)
{
	/* Move what is left to the front before asking for more. */
	if (lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
		lb->len -= lb->start;
		lb->start = 0;
	}
	*at = lb->buf + lb->len;
	return lb->cap - lb->len;
}

void
linebuf_commit(struct linebuf *lb, size_t n)
{
	if (n == 0)
		lb->eof = 1;
	lb->len += n;
}

int
linebuf_next(struct linebuf *lb, const char **line, size_t *len)
{
	char *p, *nl;
	size_t have, n;

	for (;;) {
		p = lb->buf + lb->start;
		have = lb->len - lb->start;
		nl = have ? memchr(p, '\n', have) : NULL;
		if (!lb->skipping)
			break;
		/* The end of a line already reported as too long. */
		if (nl == NULL) {
			lb->start = lb->len;
			return 0;
		}
		lb->start += (size_t)(nl - p) + 1;
		lb->skipping = 0;
	}
	if (nl != NULL) {
		n = (size_t)(nl - p);
		lb->start += n + 1;
	} else if (have > 0 && lb->eof) {
		n = have;
		lb->start = lb->len;
	} else if (have == lb->cap) {
		/* Too long: drop it, and the rest of it as it comes. */
		lb->start = lb->len;
		lb->lineno++;
		lb->skipping = 1;
		return -1;
	} else {
		return 0;
	}
	lb->lineno++;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	*line = p;
	*len = n;
	return 1;
}

int
linebuf_done(const struct linebuf *lb)
{
	return lb->eof && lb->start == lb->len;
}

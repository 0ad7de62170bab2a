/* wsmsg.c - WebSocket messages put back together from their fragments. */
#include "wsmsg.h"

#include <errno.h>
#include <stdint.h>

/*
 * The limit comes with each piece (wsmsg_add()'s 'max'), and the owners
 * may zero a struct wsmsg rather than call wsmsg_init(), so the buffer's
 * cap is set when a message begins to be assembled: a zeroed buffer is
 * empty, with a cap of 0.
 */
void
wsmsg_init(struct wsmsg *m)
{
	buf_init(&m->b, 0);
	m->binary = 0;
}

void
wsmsg_release(struct wsmsg *m)
{
	buf_release(&m->b);
	wsmsg_init(m);
}

int
wsmsg_add(struct wsmsg *m, const unsigned char *in, size_t len, int binary,
    int final, size_t max, const unsigned char **data, size_t *dlen,
    int *is_binary)
{
	if (m->b.len == 0 && final) {
		if (len > max) {
			errno = EMSGSIZE;
			return -1;
		}
		*data = in;
		*dlen = len;
		*is_binary = binary;
		return 1;
	}
	if (m->b.len == 0) {
		m->binary = binary;
		m->b.max = max < SIZE_MAX ? max : SIZE_MAX - 1;
	}
	if (buf_append(&m->b, in, len) == -1) {
		int e = errno == ENOBUFS ? EMSGSIZE : ENOMEM;

		buf_reset(&m->b);
		errno = e;
		return -1;
	}
	if (!final)
		return 0;
	*data = (const unsigned char *)m->b.data;
	*dlen = m->b.len;
	*is_binary = m->binary;
	return 1;
}

size_t
wsmsg_held(const struct wsmsg *m)
{
	return m->b.len > 0 ? buf_allocated(&m->b) : 0;
}

void
wsmsg_done(struct wsmsg *m, size_t keep)
{
	buf_shrink(&m->b, keep);
}

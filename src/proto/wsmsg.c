/* wsmsg.c - WebSocket messages put back together from their fragments. */
#include "wsmsg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
wsmsg_init(struct wsmsg *m)
{
	memset(m, 0, sizeof(*m));
}

void
wsmsg_release(struct wsmsg *m)
{
	free(m->buf);
	wsmsg_init(m);
}

int
wsmsg_add(struct wsmsg *m, const unsigned char *in, size_t len, int binary,
    int final, size_t max, const unsigned char **data, size_t *dlen,
    int *is_binary)
{
	if (m->len == 0 && final) {
		if (len > max) {
			errno = EMSGSIZE;
			return -1;
		}
		*data = in;
		*dlen = len;
		*is_binary = binary;
		return 1;
	}
	if (m->len == 0)
		m->binary = binary;
	if (len > max - m->len) {
		m->len = 0;
		errno = EMSGSIZE;
		return -1;
	}
	if (m->len + len > m->cap) {
		size_t ncap = m->cap ? m->cap : 4096;
		unsigned char *p;

		while (ncap < m->len + len)
			ncap *= 2;
		p = realloc(m->buf, ncap);
		if (p == NULL) {
			m->len = 0;
			errno = ENOMEM;
			return -1;
		}
		m->buf = p;
		m->cap = ncap;
	}
	memcpy(m->buf + m->len, in, len);
	m->len += len;
	if (!final)
		return 0;
	*data = m->buf;
	*dlen = m->len;
	*is_binary = m->binary;
	return 1;
}

void
wsmsg_done(struct wsmsg *m, size_t keep)
{
	m->len = 0;
	if (m->cap > keep) {
		free(m->buf);
		m->buf = NULL;
		m->cap = 0;
	}
}

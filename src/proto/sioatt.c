/* sioatt.c - a Socket.IO binary packet waiting for its attachments. */
#include "sioatt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
sioatt_init(struct sioatt *a)
{
	memset(a, 0, sizeof(*a));
}

void
sioatt_clear(struct sioatt *a)
{
	unsigned i;

	for (i = 0; i < a->n; i++)
		free(a->att[i].iov_base);
	free(a->att);
	free(a->text);
	sioatt_init(a);
}

int
sioatt_start(struct sioatt *a, const char *text, size_t len, unsigned want)
{
	sioatt_clear(a);
	a->text = malloc(len ? len : 1);
	a->att = calloc(want, sizeof(*a->att));
	if (a->text == NULL || a->att == NULL) {
		sioatt_clear(a);
		errno = ENOMEM;
		return -1;
	}
	memcpy(a->text, text, len);
	a->text_len = len;
	a->want = want;
	return 0;
}

int
sioatt_add(struct sioatt *a, const void *data, size_t len, size_t max)
{
	void *copy;

	if (a->want == 0 || a->n >= a->want) {
		errno = EPROTO;
		return -1;
	}
	if (len > max || a->bytes > max - len) {
		errno = EMSGSIZE;
		return -1;
	}
	copy = malloc(len ? len : 1);
	if (copy == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, data, len);
	a->att[a->n].iov_base = copy;
	a->att[a->n].iov_len = len;
	a->n++;
	a->bytes += len;
	return a->n == a->want;
}

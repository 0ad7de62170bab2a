/*
 * sioatt.h - a Socket.IO binary packet waiting for its attachments.
 * Owns: a copy of the packet's text (the buffer it arrived in is reused by
 * the next frame) and a copy of each binary frame until as many have come
 * as the packet announced, within a size limit.  Pure: no I/O.
 */
#ifndef GEOROOM_SIOATT_H
#define GEOROOM_SIOATT_H

#include <stddef.h>
#include <sys/uio.h>

struct sioatt {
	char *text; /* owned; NULL when nothing is pending */
	size_t text_len;
	unsigned want;     /* attachments announced; 0: none pending */
	unsigned n;        /* attachments received */
	struct iovec *att; /* owned array of 'want'; each base owned */
	size_t bytes;      /* of all attachments so far */
};

void sioatt_init(struct sioatt *a);

/* Frees what is pending; 'a' is then empty and may be reused. */
void sioatt_clear(struct sioatt *a);

/*
 * Starts waiting for 'want' (> 0) attachments of the packet whose text is
 * 'len' bytes at 'text' (copied).  Returns 0, or -1 with errno ENOMEM.
 */
int sioatt_start(struct sioatt *a, const char *text, size_t len,
    unsigned want);

/*
 * Takes the next binary frame (copied).  Returns 1 when it was the last
 * one announced, 0 when more are due, or -1 with errno EPROTO (none was
 * announced), EMSGSIZE (the attachments would pass 'max' bytes) or ENOMEM.
 */
int sioatt_add(struct sioatt *a, const void *data, size_t len, size_t max);

#endif

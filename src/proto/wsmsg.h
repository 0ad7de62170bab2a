/*
 * wsmsg.h - WebSocket messages put back together from their fragments.
 * Owns: the buffer of a message that arrives in pieces (libwebsockets hands
 * them over as it reads), its size limit, and giving a message that came
 * in one piece straight through without a copy.  Pure: no I/O.
 */
#ifndef GEOROOM_WSMSG_H
#define GEOROOM_WSMSG_H

#include <stddef.h>

#include "buf.h"

struct wsmsg {
	struct buf b; /* owned; no allocation until a message spans pieces */
	int binary;   /* the kind of the message being assembled */
};

void wsmsg_init(struct wsmsg *m);

/* Frees the buffer; 'm' may be used again. */
void wsmsg_release(struct wsmsg *m);

/*
 * Takes the next piece, 'len' bytes at 'in' (borrowed), of a message whose
 * first piece said 'binary'; 'final' marks its last piece.  Returns 0
 * while more is due; 1 when the message is whole, with *data, *dlen and
 * *is_binary set (*data is 'in' itself when the message came in one piece,
 * else the buffer, valid until wsmsg_done()); -1 with errno EMSGSIZE when
 * the message would pass 'max' bytes, or ENOMEM.  After -1 the partial
 * message is dropped.
 */
int wsmsg_add(struct wsmsg *m, const unsigned char *in, size_t len, int binary,
    int final, size_t max, const unsigned char **data, size_t *dlen,
    int *is_binary);

/*
 * Bytes of memory a message still arriving holds (its buffer's
 * allocation); 0 when no message is partly in.
 */
size_t wsmsg_held(const struct wsmsg *m);

/*
 * Forgets the message just handled, freeing a buffer larger than 'keep'
 * so that one big message does not pin memory for the connection's life.
 */
void wsmsg_done(struct wsmsg *m, size_t keep);

#endif

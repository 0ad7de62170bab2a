/*
 * siorx.h - what one whole WebSocket message from a Socket.IO peer is.
 * Owns: the binary packet waiting for its attachments between messages.
 * Decodes the Engine.IO framing, then the Socket.IO packet, and returns
 * which it was or which rule it broke.  Pure: no I/O, no printing.
 */
#ifndef GEOROOM_SIORX_H
#define GEOROOM_SIORX_H

#include <stddef.h>
#include <sys/uio.h>

#include "eio.h"
#include "sio.h"
#include "sioatt.h"

struct siorx {
	struct sioatt pend; /* the binary packet collecting attachments */
	int done; /* pend is complete, lent out until the next call */
};

/* What a message was: >= 0 a packet or progress, < 0 a broken rule. */
enum siorx_kind {
	SIORX_EIO = 0,    /* an Engine.IO packet that is not a message */
	SIORX_PACKET = 1, /* a complete Socket.IO packet */
	SIORX_BEGIN = 2,  /* a binary packet's header; its attachments due */
	SIORX_MORE = 3,   /* an attachment stored; more are due */
	SIORX_ERR_NOT_EIO = -1,     /* a text message that is not Engine.IO */
	SIORX_ERR_SIO = -2,         /* not a valid Socket.IO packet */
	SIORX_ERR_TEXT_DUE = -3,    /* a text message while attachments due */
	SIORX_ERR_UNANNOUNCED = -4, /* a binary message none announced */
	SIORX_ERR_TOO_BIG = -5,     /* the attachments pass the limit */
	SIORX_ERR_NOMEM = -6,
};

struct siorx_msg {
	/* SIORX_EIO: the packet's type (never EIO_MESSAGE) and payload,
	 * borrowed from the message and not NUL-terminated. */
	enum eio_type eio;
	const char *payload;
	size_t payload_len;
	/*
	 * SIORX_PACKET and SIORX_BEGIN: the packet, which the caller releases
	 * with sio_packet_release() (harmless for the other kinds).  Its nsp
	 * and json point into the message or into the siorx, valid until the
	 * next siorx_feed(), siorx_cancel() or siorx_release().
	 */
	struct sio_packet pkt;
	/* SIORX_PACKET: its pkt.h.attachments attachments, borrowed like
	 * nsp and json; NULL and 0 for a packet that announced none. */
	const struct iovec *att;
	unsigned natt;
};

void siorx_init(struct siorx *rx);

/* Frees the pending packet and its attachments. */
void siorx_release(struct siorx *rx);

/*
 * Bytes held for a binary packet whose attachments are still due (its
 * text and the attachments in so far); 0 when none is.
 */
size_t siorx_held(const struct siorx *rx);

/*
 * Drops the pending packet (after SIORX_BEGIN, when the caller wants none
 * of it): its attachments then count as announced by no packet.
 */
void siorx_cancel(struct siorx *rx);

/*
 * Takes one whole WebSocket message, 'len' bytes at 'data' (borrowed),
 * 'binary' or text, and fills 'm'.  A binary message is the next
 * attachment of the pending packet; a text one an Engine.IO packet, and
 * when that is a message, a Socket.IO packet.  A packet announcing
 * attachments comes twice: as SIORX_BEGIN when its header arrives, and as
 * SIORX_PACKET once its attachments are in, which together may hold at
 * most 'max' bytes.  Its header is refused (SIORX_ERR_SIO) when one of its
 * placeholders names none of its attachments, as socket.io-parser refuses
 * it.  On an error (< 0) writes a short reason into 'err'
 * (when errlen > 0) and leaves nothing pending to release in 'm'.
 */
enum siorx_kind siorx_feed(struct siorx *rx, const void *data, size_t len,
    int binary, size_t max, struct siorx_msg *m, char *err, size_t errlen);

#endif

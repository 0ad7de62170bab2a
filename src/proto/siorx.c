/* siorx.c - what one whole WebSocket message from a Socket.IO peer is. */
#include "siorx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void
siorx_init(struct siorx *rx)
{
	sioatt_init(&rx->pend);
	rx->done = 0;
}

void
siorx_release(struct siorx *rx)
{
	sioatt_clear(&rx->pend);
	rx->done = 0;
}

size_t
siorx_held(const struct siorx *rx)
{
	if (rx->done || rx->pend.want == 0)
		return 0;
	return rx->pend.text_len + rx->pend.bytes;
}

void
siorx_cancel(struct siorx *rx)
{
	siorx_release(rx);
}

static enum siorx_kind
fail(enum siorx_kind k, char *err, size_t errlen, const char *reason)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", reason);
	return k;
}

/*
 * Whether 'num' (borrowed) may name one of 'n' attachments: a number from
 * 0 to n - 1, as socket.io-parser's reconstructPacket requires, and whole,
 * which it does not check (it would take attachment "0.5" as undefined,
 * and python-socketio fails on it).
 */
static int
placeholder_num_ok(jv num, unsigned n)
{
	double d;

	if (jv_get_kind(num) != JV_KIND_NUMBER)
		return 0;
	d = jv_number_value(num);
	/* In range first, so that the cast is defined. */
	return d >= 0 && d < (double)n && d == (double)(unsigned)d;
}

/*
 * Whether every attachment placeholder in 'v' (borrowed) names one of the
 * packet's 'n' attachments.  As in socket.io-parser's reconstructPacket,
 * a placeholder is an object whose "_placeholder" is true; its other
 * members are not looked at, nor inside them.  Any other object or array
 * is searched (its "_placeholder" when not true is just data).  Otherwise
 * every socket.io-client the packet is relayed to throws "illegal
 * attachments" and drops its connection.
 */
static int
placeholders_ok(jv v, unsigned n)
{
	jv sub;
	int i, len, ok = 1;

	switch (jv_get_kind(v)) {
	case JV_KIND_ARRAY:
		len = jv_array_length(jv_copy(v));
		for (i = 0; ok && i < len; i++) {
			sub = jv_array_get(jv_copy(v), i);
			ok = placeholders_ok(sub, n);
			jv_free(sub);
		}
		return ok;
	case JV_KIND_OBJECT:
		sub = jv_object_get(jv_copy(v), jv_string("_placeholder"));
		if (jv_get_kind(sub) == JV_KIND_TRUE) {
			jv_free(sub);
			sub = jv_object_get(jv_copy(v), jv_string("num"));
			ok = placeholder_num_ok(sub, n);
			jv_free(sub);
			return ok;
		}
		jv_free(sub);
		for (i = jv_object_iter(v); ok && jv_object_iter_valid(v, i);
		     i = jv_object_iter_next(v, i)) {
			sub = jv_object_iter_value(v, i);
			ok = placeholders_ok(sub, n);
			jv_free(sub);
		}
		return ok;
	default:
		return 1;
	}
}

/* A binary message: the next attachment of the pending packet. */
static enum siorx_kind
attachment(struct siorx *rx, const void *data, size_t len, size_t max,
    struct siorx_msg *m, char *err, size_t errlen)
{
	char why[64];
	int rc;

	rc = sioatt_add(&rx->pend, data, len, max);
	if (rc == -1 && errno == EPROTO)
		return fail(SIORX_ERR_UNANNOUNCED, err, errlen,
		    "a binary message no packet announced");
	if (rc == -1 && errno == EMSGSIZE) {
		snprintf(why, sizeof(why), "attachments over %zu bytes", max);
		siorx_release(rx);
		return fail(SIORX_ERR_TOO_BIG, err, errlen, why);
	}
	if (rc == -1) {
		siorx_release(rx);
		return fail(SIORX_ERR_NOMEM, err, errlen, "out of memory");
	}
	if (rc == 0)
		return SIORX_MORE;
	/* Decoded again: the header's pointers went with its message. */
	if (sio_decode(rx->pend.text, rx->pend.text_len, &m->pkt, err,
	        errlen) == -1) {
		m->pkt.data = jv_invalid();
		siorx_release(rx);
		return SIORX_ERR_SIO;
	}
	rx->done = 1;
	m->att = rx->pend.att;
	m->natt = rx->pend.n;
	return SIORX_PACKET;
}

enum siorx_kind
siorx_feed(struct siorx *rx, const void *data, size_t len, int binary,
    size_t max, struct siorx_msg *m, char *err, size_t errlen)
{
	const char *text = data;
	const char *payload;
	size_t plen;
	unsigned want;

	memset(m, 0, sizeof(*m));
	m->pkt.data = jv_invalid();
	if (rx->done)
		siorx_release(rx);
	if (binary)
		return attachment(rx, data, len, max, m, err, errlen);
	if (rx->pend.want != 0)
		return fail(SIORX_ERR_TEXT_DUE, err, errlen,
		    "a text message while attachments were due");
	if (eio_decode(text, len, &m->eio, &payload, &plen) == -1)
		return fail(SIORX_ERR_NOT_EIO, err, errlen,
		    "not an Engine.IO packet");
	if (m->eio != EIO_MESSAGE) {
		m->payload = payload;
		m->payload_len = plen;
		return SIORX_EIO;
	}
	if (sio_decode(payload, plen, &m->pkt, err, errlen) == -1) {
		m->pkt.data = jv_invalid();
		return SIORX_ERR_SIO;
	}
	want = m->pkt.h.attachments;
	if (want == 0)
		return SIORX_PACKET;
	/* Refused before its attachments come: they could not make it
	 * whole, and nothing of it is kept. */
	if (!placeholders_ok(m->pkt.data, want)) {
		sio_packet_release(&m->pkt);
		return fail(SIORX_ERR_SIO, err, errlen,
		    "a placeholder names no attachment (illegal attachments)");
	}
	if (sioatt_start(&rx->pend, payload, plen, want) == -1) {
		sio_packet_release(&m->pkt);
		return fail(SIORX_ERR_NOMEM, err, errlen, "out of memory");
	}
	return SIORX_BEGIN;
}

/*
 * sio.c - Socket.IO v5 packets, carried in Engine.IO message packets.
 * Owns: the header grammar, the payload's shape per packet type, and
 * encoding.  Does no I/O and keeps no globals; decoding allocates only
 * through libjq.
 *
 * The payload is parsed by jsonv, strictly by RFC 8259, not by jq 1.6,
 * which also takes what JSON.parse refuses ("nan", "01", "+1", ".5", a
 * byte order mark, invalid UTF-8) and refuses a lone high surrogate that
 * JSON.parse takes.  The hub relays the payload text as sent: one lax
 * packet would break the decoder of every client in the room, and one
 * strict one refused would cost a real client its connection.
 */
#include "sio.h"
#include "json.h"
#include "jsonv.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/*
 * Longest header sio_encode writes: "4", type, "64-", nsp, ",", a 16-digit
 * ack id, and room for the NUL snprintf adds.
 */
#define SIO_HEAD_MAX (2 + 3 + SIO_NSP_MAX + 1 + 16 + 1)

/* As socket.io-parser's RESERVED_EVENTS. */
static const char *const reserved_events[] = {
	"connect",
	"connect_error",
	"disconnect",
	"disconnecting",
	"newListener",
	"removeListener",
};

int
sio_event_reserved(const char *name, size_t len)
{
	size_t n = sizeof(reserved_events) / sizeof(reserved_events[0]);

	for (size_t i = 0; i < n; i++) {
		if (strlen(reserved_events[i]) == len &&
		    memcmp(reserved_events[i], name, len) == 0)
			return 1;
	}
	return 0;
}

/* A namespace: UTF-8 text without control characters. */
static int
nsp_ok(const char *nsp, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)nsp[i];

		if (c < 0x20 || c == 0x7f)
			return 0;
	}
	return json_utf8_check(nsp, len) == 0;
}

/* Why 'nsp' may not name a namespace, or NULL if it may. */
static const char *
nsp_problem(const char *nsp, size_t len)
{
	if (len == 0 || nsp[0] != '/')
		return "namespace does not start with '/'";
	if (len > SIO_NSP_MAX)
		return "namespace too long";
	if (memchr(nsp, ',', len) != NULL || !nsp_ok(nsp, len))
		return "invalid namespace";
	return NULL;
}

int
sio_nsp_check(const char *nsp, size_t len, char *err, size_t errlen)
{
	const char *why = nsp_problem(nsp, len);

	if (why == NULL)
		return 0;
	if (errlen > 0)
		snprintf(err, errlen, "%s", why);
	return -1;
}

static int
is_binary(enum sio_type type)
{
	return type == SIO_BINARY_EVENT || type == SIO_BINARY_ACK;
}

/* Why header 'h' may not be sent or received, or NULL if it may. */
static const char *
header_problem(const struct sio_header *h)
{
	const char *why;

	if ((unsigned)h->type > SIO_BINARY_ACK)
		return "unknown packet type";
	if (is_binary(h->type)) {
		if (h->attachments == 0)
			return "binary packet without attachments";
		if (h->attachments > SIO_ATTACHMENTS_MAX)
			return "too many attachments";
	} else if (h->attachments != 0) {
		return "attachments on a non-binary packet";
	}
	if ((why = nsp_problem(h->nsp, h->nsp_len)) != NULL)
		return why;
	if (h->ack_id != SIO_NO_ACK &&
	    (h->ack_id < 0 || h->ack_id > SIO_ACK_MAX))
		return "ack id out of range";
	switch (h->type) {
	case SIO_CONNECT:
	case SIO_DISCONNECT:
	case SIO_CONNECT_ERROR:
		if (h->ack_id != SIO_NO_ACK)
			return "ack id on a packet that takes none";
		break;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		if (h->ack_id == SIO_NO_ACK)
			return "ack without an ack id";
		break;
	default:
		break;
	}
	return NULL;
}

/*
 * Why 'data' (consumed; invalid when there is no payload) does not suit a
 * packet of type 'type', as socket.io-parser's isPayloadValid, or NULL.
 */
static const char *
payload_problem(enum sio_type type, jv data)
{
	const char *problem = NULL;
	jv_kind kind = jv_get_kind(data);
	jv first;

	switch (type) {
	case SIO_CONNECT:
		if (kind != JV_KIND_INVALID && kind != JV_KIND_OBJECT)
			problem = "CONNECT payload is not an object";
		break;
	case SIO_DISCONNECT:
		if (kind != JV_KIND_INVALID)
			problem = "DISCONNECT takes no payload";
		break;
	case SIO_CONNECT_ERROR:
		if (kind != JV_KIND_OBJECT && kind != JV_KIND_STRING)
			problem = "CONNECT_ERROR payload is not an object "
			          "or a string";
		break;
	case SIO_ACK:
	case SIO_BINARY_ACK:
		if (kind != JV_KIND_ARRAY)
			problem = "ack payload is not an array";
		break;
	case SIO_EVENT:
	case SIO_BINARY_EVENT:
		if (kind != JV_KIND_ARRAY) {
			problem = "event payload is not an array";
			break;
		}
		if (jv_array_length(jv_copy(data)) == 0) {
			problem = "event payload is empty";
			break;
		}
		first = jv_array_get(jv_copy(data), 0);
		if (jv_get_kind(first) == JV_KIND_STRING) {
			if (sio_event_reserved(jv_string_value(first),
			        (size_t)jv_string_length_bytes(
			            jv_copy(first))))
				problem = "reserved event name";
		} else if (jv_get_kind(first) != JV_KIND_NUMBER) {
			problem = "event name is not a string or a number";
		}
		jv_free(first);
		break;
	}
	jv_free(data);
	return problem;
}

static int
decode_fail(char *err, size_t errlen, const char *reason)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", reason);
	errno = EINVAL;
	return -1;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
sio_decode(const char *buf, size_t len, struct sio_packet *pkt, char *err,
    size_t errlen)
{
	struct sio_header h;
	const char *problem, *json;
	size_t i = 0, json_len;
	jv data;

	pkt->data = jv_invalid();
	if (len == 0)
		return decode_fail(err, errlen, "empty packet");
	if (len > INT_MAX)
		return decode_fail(err, errlen, "packet too long");
	if (buf[0] < '0' + SIO_CONNECT || buf[0] > '0' + SIO_BINARY_ACK)
		return decode_fail(err, errlen, "unknown packet type");
	h.type = (enum sio_type)(buf[i++] - '0');
	h.attachments = 0;
	h.nsp = "/";
	h.nsp_len = 1;
	h.ack_id = SIO_NO_ACK;

	if (is_binary(h.type)) {
		size_t start = i;

		for (; i < len && is_digit(buf[i]); i++) {
			h.attachments = h.attachments * 10 +
			    (unsigned)(buf[i] - '0');
			if (h.attachments > SIO_ATTACHMENTS_MAX)
				return decode_fail(err, errlen,
				    "too many attachments");
		}
		if (i == start)
			return decode_fail(err, errlen,
			    "missing attachment count");
		if (i == len || buf[i] != '-')
			return decode_fail(err, errlen,
			    "attachment count not followed by '-'");
		i++;
	}

	/* As socket.io-parser, the namespace runs to a ',' or the end. */
	if (i < len && buf[i] == '/') {
		h.nsp = buf + i;
		while (i < len && buf[i] != ',')
			i++;
		h.nsp_len = (size_t)(buf + i - h.nsp);
		if (i < len)
			i++;
	}

	if (i < len && is_digit(buf[i])) {
		h.ack_id = 0;
		for (; i < len && is_digit(buf[i]); i++) {
			int d = buf[i] - '0';

			if (h.ack_id > (SIO_ACK_MAX - d) / 10)
				return decode_fail(err, errlen,
				    "ack id out of range");
			h.ack_id = h.ack_id * 10 + d;
		}
		if (!is_binary(h.type) && i < len && buf[i] == '-')
			return decode_fail(err, errlen,
			    "attachments on a non-binary packet");
	}

	if ((problem = header_problem(&h)) != NULL)
		return decode_fail(err, errlen, problem);

	json = buf + i;
	json_len = len - i;
	data = jv_invalid();
	if (json_len > 0) {
		/*
		 * socket.io-parser would read leading whitespace as an ack
		 * id of 0, so a relayed packet would change meaning.
		 */
		if (json_is_space((unsigned char)json[0]))
			return decode_fail(err, errlen,
			    "whitespace before the payload");
		if (jsonv_parse(json, json_len, SIO_JSON_DEPTH_MAX, 0,
		        &data) == -1)
			return decode_fail(err, errlen,
			    errno == ENOMEM ? "out of memory" :
			                      "invalid JSON");
	}
	if ((problem = payload_problem(h.type, jv_copy(data))) != NULL) {
		jv_free(data);
		return decode_fail(err, errlen, problem);
	}

	pkt->h = h;
	pkt->json = json;
	pkt->json_len = json_len;
	pkt->data = data;
	return 0;
}

void
sio_packet_release(struct sio_packet *pkt)
{
	jv_free(pkt->data);
	pkt->data = jv_invalid();
	pkt->json = NULL;
	pkt->json_len = 0;
}

long
sio_encode(char *out, size_t cap, const struct sio_header *h, const char *json,
    size_t json_len)
{
	struct sio_header hh = *h;
	char head[SIO_HEAD_MAX];
	size_t n = 0, total;

	if (hh.nsp == NULL || hh.nsp_len == 0) {
		hh.nsp = "/";
		hh.nsp_len = 1;
	}
	if (header_problem(&hh) != NULL || (json == NULL && json_len > 0)) {
		errno = EINVAL;
		return -1;
	}

	head[n++] = '4';
	head[n++] = (char)('0' + hh.type);
	if (is_binary(hh.type))
		n += (size_t)snprintf(head + n, sizeof(head) - n, "%u-",
		    hh.attachments);
	if (hh.nsp_len > 1) {
		memcpy(head + n, hh.nsp, hh.nsp_len);
		n += hh.nsp_len;
		head[n++] = ',';
	}
	if (hh.ack_id != SIO_NO_ACK)
		n += (size_t)snprintf(head + n, sizeof(head) - n, "%" PRId64,
		    hh.ack_id);

	if (json_len > (size_t)LONG_MAX - n) {
		errno = EOVERFLOW;
		return -1;
	}
	total = n + json_len;
	if (out == NULL && cap == 0)
		return (long)total;
	if (out == NULL || cap < total) {
		errno = ENOBUFS;
		return -1;
	}
	memcpy(out, head, n);
	if (json_len > 0)
		memcpy(out + n, json, json_len);
	return (long)total;
}

/* Past JSON's white space from 'p', before 'end'. */
static const char *
skip_space(const char *p, const char *end)
{
	while (
	    p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

int
sio_event_index(const char *json, size_t len, const char *const *names,
    size_t n_names)
{
	const char *p = json, *end = json + len, *q;
	char name[256];
	size_t n, i;
	int escaped = 0;

	p = skip_space(p, end);
	if (p == end || *p++ != '[')
		return -1;
	p = skip_space(p, end);
	if (p == end || *p++ != '"')
		return -1;
	for (q = p; q < end && *q != '"'; q++)
		if (*q == '\\') {
			escaped = 1;
			if (++q == end)
				return -1;
		}
	if (q == end)
		return -1;
	n = (size_t)(q - p);
	if (escaped) {
		/* The text was checked as JSON when it arrived; no escape
		 * grows, so 'n' bytes are room enough. */
		if (n > sizeof(name))
			return -1;
		n = json_unescape(p, n, name);
		p = name;
	}
	for (i = 0; i < n_names; i++)
		if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
			return (int)i;
	return -1;
}

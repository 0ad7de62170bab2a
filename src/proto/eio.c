/*
 * eio.c - Engine.IO v4 packets over the WebSocket transport.
 * Owns: the one-digit packet framing and the open (handshake) packet.  Pure:
 * no I/O, no allocation, no globals; the open packet's JSON is read in place.
 */
#include "eio.h"
#include "json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Largest integer a JSON number (an IEEE double) holds exactly: 2^53 - 1. */
#define EIO_EXACT_MAX UINT64_C(9007199254740991)

int
eio_decode(const char *frame, size_t len, enum eio_type *type,
    const char **payload, size_t *payload_len)
{
	if (len == 0 || frame[0] < '0' + EIO_OPEN ||
	    frame[0] > '0' + EIO_NOOP) {
		errno = EINVAL;
		return -1;
	}
	*type = (enum eio_type)(frame[0] - '0');
	*payload = frame + 1;
	*payload_len = len - 1;
	return 0;
}

/*
 * True when the 'len' bytes at 'sid' make a session id: 1 to EIO_SID_MAX
 * bytes of printable ASCII that JSON writes without escapes.
 */
static int
sid_ok(const char *sid, size_t len)
{
	if (len == 0 || len > EIO_SID_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)sid[i];

		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

int
eio_encode_open(char *out, size_t cap, const struct eio_open *open)
{
	char buf[256];
	size_t sidlen;
	int n;

	sidlen = strnlen(open->sid, sizeof(open->sid));
	if (!sid_ok(open->sid, sidlen)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, sizeof(buf),
	    "0{\"sid\":\"%s\",\"upgrades\":[%s],\"pingInterval\":%" PRIu32
	    ",\"pingTimeout\":%" PRIu32 ",\"maxPayload\":%" PRIu64 "}",
	    open->sid,
	    open->upgrades & EIO_UPGRADE_WEBSOCKET ? "\"websocket\"" : "",
	    open->ping_interval_ms, open->ping_timeout_ms, open->max_payload);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		/* Cannot happen: every field is bounded. */
		errno = EINVAL;
		return -1;
	}
	if ((size_t)n > cap) {
		errno = ENOBUFS;
		return -1;
	}
	memcpy(out, buf, (size_t)n);
	return n;
}

/*
 * Deepest nesting of arrays and objects in a member of an open packet: 32
 * levels in all, with the packet's own object.
 */
#define MEMBER_DEPTH_MAX 31

/*
 * Reads the sid: a string of printable ASCII without escapes, as every
 * Engine.IO server writes it.
 */
static int
read_sid(struct json_scan *s, char *sid)
{
	const char *str;
	size_t len;

	if (json_scan_read_string(s, &str, &len) == -1)
		return -1;
	if (!sid_ok(str, len)) {
		errno = len > EIO_SID_MAX ? ERANGE : EINVAL;
		return -1;
	}
	memcpy(sid, str, len);
	sid[len] = '\0';
	return 0;
}

/* The members an open packet must hold. */
enum {
	SEEN_SID = 1 << 0,
	SEEN_UPGRADES = 1 << 1,
	SEEN_INTERVAL = 1 << 2,
	SEEN_TIMEOUT = 1 << 3,
	SEEN_MAX_PAYLOAD = 1 << 4,
	SEEN_ALL = (1 << 5) - 1,
};

/* True when the raw key text 'key' of 'len' bytes is 'name'. */
static int
key_is(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && memcmp(key, name, len) == 0;
}

int
eio_parse_open(const char *json, size_t len, struct eio_open *open)
{
	struct json_scan s;
	struct eio_open o;
	uint64_t v;
	unsigned seen = 0;

	json_scan_init(&s, json, len);
	memset(&o, 0, sizeof(o));
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '{'))
		goto invalid;
	json_scan_skip_space(&s);
	if (json_scan_take(&s, '}'))
		goto invalid;
	do {
		const char *key;
		size_t key_len;

		json_scan_skip_space(&s);
		if (json_scan_read_string(&s, &key, &key_len) == -1)
			goto invalid;
		json_scan_skip_space(&s);
		if (!json_scan_take(&s, ':'))
			goto invalid;
		json_scan_skip_space(&s);
		/* An escaped key is not one of ours; no server writes one. */
		if (key_is(key, key_len, "sid")) {
			if (read_sid(&s, o.sid) == -1)
				return -1;
			seen |= SEEN_SID;
		} else if (key_is(key, key_len, "upgrades")) {
			if (json_scan_peek(&s) != '[' ||
			    json_scan_skip_value(&s, MEMBER_DEPTH_MAX) == -1)
				goto invalid;
			seen |= SEEN_UPGRADES;
		} else if (key_is(key, key_len, "pingInterval")) {
			if (json_scan_read_uint(&s, UINT32_MAX, &v) == -1)
				return -1;
			o.ping_interval_ms = (uint32_t)v;
			seen |= SEEN_INTERVAL;
		} else if (key_is(key, key_len, "pingTimeout")) {
			if (json_scan_read_uint(&s, UINT32_MAX, &v) == -1)
				return -1;
			o.ping_timeout_ms = (uint32_t)v;
			seen |= SEEN_TIMEOUT;
		} else if (key_is(key, key_len, "maxPayload")) {
			if (json_scan_read_uint(&s, EIO_EXACT_MAX, &v) == -1)
				return -1;
			o.max_payload = v;
			seen |= SEEN_MAX_PAYLOAD;
		} else if (json_scan_skip_value(&s, MEMBER_DEPTH_MAX) == -1) {
			goto invalid;
		}
		json_scan_skip_space(&s);
	} while (json_scan_take(&s, ','));
	if (!json_scan_take(&s, '}'))
		goto invalid;
	json_scan_skip_space(&s);
	if (json_scan_peek(&s) != -1 || seen != SEEN_ALL)
		goto invalid;
	*open = o;
	return 0;
invalid:
	errno = EINVAL;
	return -1;
}

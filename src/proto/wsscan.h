/*
 * wsscan.h - what a WebSocket client's byte stream is, looked at as it is
 * read: the HTTP request head, then frames, each of which a client must
 * mask (RFC 6455 5.1); or, after a head that asks no upgrade (a request
 * of the long-polling transport), its body and the next request, which
 * are no frames.  Owns: where the stream is (in a head, in a frame's
 * header, in its payload) and whether a frame came unmasked.
 * Never copies, keeps or changes the bytes; pure: no I/O.
 */
#ifndef GEOROOM_WSSCAN_H
#define GEOROOM_WSSCAN_H

#include <stddef.h>
#include <stdint.h>

struct wsscan {
	uint64_t left; /* payload bytes of the current frame still due */
	uint8_t state; /* enum in wsscan.c */
	uint8_t blank; /* in the head: how far into a blank line */
	uint8_t need;  /* header bytes still due after the length byte */
	uint8_t size;  /* of those, extended length bytes still due */
	uint8_t seen;  /* in the head: a byte other than CR or LF came */
	uint8_t upg;   /* in the head: how much of "upgrade:" starts this
			* line; UPG_NO when it is another header */
	uint8_t asked; /* the head has an Upgrade header */
	uint8_t bad;   /* a frame came unmasked; nothing is looked at since */
};

/* Starts at the first byte a client sends on a connection. */
void wsscan_init(struct wsscan *s);

/*
 * Looks at the next 'len' bytes at 'p' (borrowed).  The head ends at the
 * first blank line ("\n\n" or "\n\r\n", as libwebsockets ends it) after a
 * line that is not blank; frames follow when it has an Upgrade header
 * (only an upgrade makes a WebSocket), else what follows is looked at as
 * the next head: a request body of the polling transport has no line
 * breaks (JSON and base64 text), so it is read as part of that head.
 * Returns how many of the bytes come before the first byte of the first
 * frame that is not masked: 'len' when there is none; less (0 when that
 * frame began in earlier bytes) when there is, after which the scan is
 * bad and every later call returns 0.
 */
size_t wsscan_feed(struct wsscan *s, const unsigned char *p, size_t len);

#endif

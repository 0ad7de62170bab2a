/* test_wsscan.c - a client's stream: its head, then frames, masked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wsscan.h"

static const char head[] = "GET /socket.io/?EIO=4&transport=websocket "
                           "HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n";

/* Appends a frame with 'len' payload bytes ('mask': with a key) to 'out';
 * returns its size. */
static size_t
frame(unsigned char *out, unsigned opcode, size_t len, int mask)
{
	size_t n = 0, i;

	out[n++] = (unsigned char)(0x80 | opcode);
	if (len < 126) {
		out[n++] = (unsigned char)((mask ? 0x80 : 0) | len);
	} else if (len < 65536) {
		out[n++] = (unsigned char)((mask ? 0x80 : 0) | 126);
		out[n++] = (unsigned char)(len >> 8);
		out[n++] = (unsigned char)len;
	} else {
		out[n++] = (unsigned char)((mask ? 0x80 : 0) | 127);
		for (i = 0; i < 8; i++)
			out[n++] = (unsigned char)((uint64_t)len >>
			    (56 - 8 * i));
	}
	if (mask) {
		memcpy(out + n, "\x12\x34\x56\x78", 4);
		n += 4;
	}
	/* Payload bytes that look like headers, unmasked, and blank lines. */
	for (i = 0; i < len; i++)
		out[n + i] = i % 2 ? '\n' : 0x01;
	return n + len;
}

/* Feeds 'len' bytes in pieces of 'step'; returns the bytes accepted. */
static size_t
feed(struct wsscan *s, const unsigned char *p, size_t len, size_t step)
{
	size_t off = 0, got = 0, n, k;

	while (off < len) {
		n = len - off < step ? len - off : step;
		k = wsscan_feed(s, p + off, n);
		got += k;
		if (k < n)
			return got;
		off += n;
	}
	return got;
}

static void
test_masked_frames_pass_however_cut(void **state)
{
	static unsigned char buf[300000];
	size_t n, step;
	struct wsscan s;

	(void)state;
	n = sizeof(head) - 1;
	memcpy(buf, head, n);
	n += frame(buf + n, 1, 2, 1);
	n += frame(buf + n, 2, 0, 1);
	n += frame(buf + n, 9, 125, 1);
	n += frame(buf + n, 1, 126, 1);
	n += frame(buf + n, 2, 65535, 1);
	n += frame(buf + n, 0, 70000, 1);
	n += frame(buf + n, 8, 2, 1);
	for (step = 1; step <= 17; step++) {
		wsscan_init(&s);
		assert_int_equal(feed(&s, buf, n, step), n);
	}
	wsscan_init(&s);
	assert_int_equal(feed(&s, buf, n, n), n);
}

static void
test_an_unmasked_frame_is_cut_off_before_its_first_byte(void **state)
{
	unsigned char buf[1024];
	size_t h = sizeof(head) - 1, n, at;
	struct wsscan s;

	(void)state;
	memcpy(buf, head, h);
	n = h + frame(buf + h, 1, 2, 1);
	at = n;
	n += frame(buf + n, 1, 5, 0);
	n += frame(buf + n, 1, 2, 1);
	/* In one piece, and with the head alone first. */
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, n), at);
	assert_int_equal(wsscan_feed(&s, buf, n), 0); /* bad from now on */
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, h), h);
	assert_int_equal(wsscan_feed(&s, buf + h, n - h), at - h);
	/* Its first byte at the end of one piece, its second in the next:
	 * the first has gone, so none of the next is accepted. */
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, at + 1), at + 1);
	assert_int_equal(wsscan_feed(&s, buf + at + 1, n - at - 1), 0);
	/* An unmasked control frame, right after the head. */
	n = h + frame(buf + h, 9, 0, 0);
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, n), h);
}

static void
test_the_head_ends_at_a_blank_line(void **state)
{
	static const char lf[] = "GET / HTTP/1.1\nHost: x\nUpgrade: ws\n\n";
	static const char lone[] =
	    "GET / HTTP/1.1\r\nHost: x\r\nupgrade: ws\r\n\r\n";
	unsigned char buf[256];
	size_t n;
	struct wsscan s;

	(void)state;
	/* Bare LFs end lines too, as in libwebsockets. */
	n = strlen(lf);
	memcpy(buf, lf, n);
	n += frame(buf + n, 1, 1, 0);
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, n), strlen(lf));
	/* Blank lines before the request line do not end it. */
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, (const unsigned char *)"\r\n\n", 3),
	    3);
	n = strlen(lone);
	memcpy(buf, lone, n);
	n += frame(buf + n, 1, 1, 0);
	assert_int_equal(wsscan_feed(&s, buf, n), strlen(lone));
	/* A CR inside a line is no blank line. */
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s,
	                     (const unsigned char *)"GET / HTTP/1.1\n\r\rx\n",
	                     19),
	    19);
	assert_int_equal(wsscan_feed(&s, (const unsigned char *)"\x81\x01", 2),
	    2); /* still in the head: not a frame */
}

/* Requests that ask no upgrade (long-polling) are followed by their body
 * and by more requests, none of which are frames. */
static void
test_heads_without_upgrade(void **state)
{
	static const char post[] = "POST /socket.io/?EIO=4&transport=polling"
	                           "&sid=x HTTP/1.1\r\nHost: x\r\n"
	                           "Content-Length: 12\r\n\r\n"
	                           "42[\"chat\",1]";
	static const char get[] = "GET /socket.io/?EIO=4&transport=polling "
	                          "HTTP/1.1\r\nX-Upgrade: no\r\n"
	                          "Upgrade-Insecure-Requests: 1\r\n\r\n";
	unsigned char buf[1024];
	size_t n = 0, h;
	struct wsscan s;

	(void)state;
	memcpy(buf + n, post, strlen(post));
	n += strlen(post);
	memcpy(buf + n, get, strlen(get));
	n += strlen(get);
	wsscan_init(&s);
	assert_int_equal(wsscan_feed(&s, buf, n), n);
	/* Then an upgrade on the same connection: its frames are scanned. */
	h = sizeof(head) - 1;
	memcpy(buf, head, h);
	n = h + frame(buf + h, 1, 3, 0);
	assert_int_equal(wsscan_feed(&s, buf, n), h);
	/* Byte by byte, the same. */
	wsscan_init(&s);
	for (h = 0; h < strlen(post); h++)
		assert_int_equal(wsscan_feed(&s,
		                     (const unsigned char *)post + h, 1),
		    1);
	n = sizeof(head) - 1;
	memcpy(buf, head, n);
	n += frame(buf + n, 1, 3, 0);
	for (h = 0; h < sizeof(head) - 1; h++)
		assert_int_equal(wsscan_feed(&s, buf + h, 1), 1);
	assert_int_equal(wsscan_feed(&s, buf + h, 1), 1);
	assert_int_equal(wsscan_feed(&s, buf + h + 1, 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masked_frames_pass_however_cut),
		cmocka_unit_test(
		    test_an_unmasked_frame_is_cut_off_before_its_first_byte),
		cmocka_unit_test(test_the_head_ends_at_a_blank_line),
		cmocka_unit_test(test_heads_without_upgrade),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

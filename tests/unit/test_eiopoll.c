/* test_eiopoll.c - long-polling payloads, both ways. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eiopoll.h"
#include "wsframe.h"

/* Appends a server frame with 'len' bytes of 'p' to 'out'; returns its
 * size. */
static size_t
put_frame(unsigned char *out, enum wsframe_opcode op, const void *p,
    size_t len)
{
	size_t hl = wsframe_header(out, op, len);

	memcpy(out + hl, p, len);
	return hl + len;
}

static void
test_encode_text_and_binary(void **state)
{
	static const unsigned char att[] = { 1, 2, 3 }, att2[] = { 4, 5 };
	static const char want[] =
	    "451-[\"m\",{\"_placeholder\":true,\"num\":0}]\x1e"
	    "bAQID\x1e"
	    "2\x1e"
	    "bBAU=";
	const char *pkt = "451-[\"m\",{\"_placeholder\":true,\"num\":0}]";
	unsigned char ws[256];
	char out[256];
	size_t n = 0;

	(void)state;
	n += put_frame(ws + n, WSFRAME_TEXT, pkt, strlen(pkt));
	n += put_frame(ws + n, WSFRAME_BINARY, att, sizeof(att));
	n += put_frame(ws + n, WSFRAME_TEXT, "2", 1);
	n += put_frame(ws + n, WSFRAME_BINARY, att2, sizeof(att2));
	assert_int_equal(eiopoll_size(ws, n), sizeof(want) - 1);
	assert_int_equal(eiopoll_encode(ws, n, out), sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
}

static void
test_encode_long_frame(void **state)
{
	static unsigned char ws[70000 + 10];
	static char text[70000], out[70000];
	size_t n;

	(void)state;
	memset(text, 'x', sizeof(text));
	text[0] = '4';
	n = put_frame(ws, WSFRAME_TEXT, text, sizeof(text));
	assert_int_equal(eiopoll_size(ws, n), sizeof(text));
	assert_int_equal(eiopoll_encode(ws, n, out), sizeof(text));
	assert_memory_equal(out, text, sizeof(text));
}

static void
test_size_refuses_broken_frames(void **state)
{
	unsigned char ws[64];
	size_t n;

	(void)state;
	n = put_frame(ws, WSFRAME_TEXT, "40", 2);
	assert_int_equal(eiopoll_size(ws, n - 1), -1); /* cut short */
	assert_int_equal(eiopoll_size(ws, 1), -1);
	ws[1] |= 0x80; /* masked */
	assert_int_equal(eiopoll_size(ws, n), -1);
	n = put_frame(ws, WSFRAME_CLOSE, "\x03\xe8", 2);
	assert_int_equal(eiopoll_size(ws, n), -1);
	assert_int_equal(eiopoll_size(ws, 0), 0);
}

/* Reads every packet of 'payload'; returns how many, -1 on an error. */
static int
read_all(const char *payload, size_t len, unsigned char out[][64],
    size_t *lens, int *bin)
{
	static unsigned char buf[512];
	struct eiopoll_reader r;
	unsigned char *d;
	int n = 0, rc;

	memcpy(buf, payload, len);
	eiopoll_reader_init(&r, buf, len);
	while ((rc = eiopoll_next(&r, &d, &lens[n], &bin[n])) == 1) {
		memcpy(out[n], d, lens[n]);
		n++;
	}
	return rc == -1 ? -1 : n;
}

static void
test_decode(void **state)
{
	static const char payload[] = "2\x1e"
	                              "42[\"a\"]\x1e"
	                              "bAQID\x1e"
	                              "bBAU=\x1e"
	                              "bBAU\x1e"
	                              "b";
	unsigned char out[8][64];
	size_t lens[8];
	int bin[8];

	(void)state;
	assert_int_equal(read_all(payload, sizeof(payload) - 1, out, lens,
	                     bin),
	    6);
	assert_int_equal(lens[0], 1);
	assert_memory_equal(out[0], "2", 1);
	assert_false(bin[0]);
	assert_memory_equal(out[1], "42[\"a\"]", 7);
	assert_true(bin[2]);
	assert_int_equal(lens[2], 3);
	assert_memory_equal(out[2], "\x01\x02\x03", 3);
	assert_int_equal(lens[3], 2);
	assert_memory_equal(out[3], "\x04\x05", 2);
	assert_int_equal(lens[4], 2); /* without its padding */
	assert_memory_equal(out[4], "\x04\x05", 2);
	assert_true(bin[5]);
	assert_int_equal(lens[5], 0); /* an empty binary packet */
}

static void
test_decode_refuses(void **state)
{
	static const char *const bad[] = { "", "\x1e", "2\x1e",
		"\x1e"
		"2",
		"2\x1e\x1e"
		"3",
		"bA", "bA=B", "b!!!!", "bQUJD=Q" };
	unsigned char out[8][64];
	size_t lens[8], i;
	int bin[8];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(read_all(bad[i], strlen(bad[i]), out, lens,
		                     bin),
		    -1);
}

/* What one side writes, the other reads back. */
static void
test_round_trip(void **state)
{
	unsigned char ws[2048], bytes[256], *d;
	char out[2048];
	struct eiopoll_reader r;
	size_t n = 0, len, k;
	int bin, i;

	(void)state;
	for (k = 0; k < sizeof(bytes); k++)
		bytes[k] = (unsigned char)k;
	for (i = 0; i < 4; i++)
		n += put_frame(ws + n, WSFRAME_BINARY, bytes, 253 + (size_t)i);
	len = eiopoll_encode(ws, n, out);
	eiopoll_reader_init(&r, (unsigned char *)out, len);
	for (i = 0; i < 4; i++) {
		assert_int_equal(eiopoll_next(&r, &d, &k, &bin), 1);
		assert_true(bin);
		assert_int_equal(k, 253 + (size_t)i);
		assert_memory_equal(d, bytes, k);
	}
	assert_int_equal(eiopoll_next(&r, &d, &k, &bin), 0);
	assert_int_equal(eiopoll_b64_len(0), 0);
	assert_int_equal(eiopoll_b64_len(1), 4);
	assert_int_equal(eiopoll_b64_len(3), 4);
	assert_int_equal(eiopoll_b64_len(4), 8);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_text_and_binary),
		cmocka_unit_test(test_encode_long_frame),
		cmocka_unit_test(test_size_refuses_broken_frames),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

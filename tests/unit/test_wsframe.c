/* test_wsframe.c - the header bytes of server frames (RFC 6455, 5.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "wsframe.h"

/* Writes a header after a canary and checks it and the bytes after it. */
static void
check_header(enum wsframe_opcode op, size_t len, const uint8_t *want,
    size_t want_len)
{
	uint8_t buf[WSFRAME_HEADER_MAX + 2];

	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(wsframe_header_len(len), want_len);
	assert_int_equal(wsframe_header(buf, op, len), want_len);
	assert_memory_equal(buf, want, want_len);
	for (size_t i = want_len; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xa5);
}

static void
test_empty_text(void **state)
{
	static const uint8_t want[] = { 0x81, 0x00 };

	(void)state;
	check_header(WSFRAME_TEXT, 0, want, sizeof(want));
}

static void
test_seven_bit_lengths(void **state)
{
	static const uint8_t one[] = { 0x81, 0x01 };
	static const uint8_t max[] = { 0x81, 0x7d };

	(void)state;
	check_header(WSFRAME_TEXT, 1, one, sizeof(one));
	check_header(WSFRAME_TEXT, 125, max, sizeof(max));
}

static void
test_sixteen_bit_lengths(void **state)
{
	static const uint8_t min[] = { 0x81, 0x7e, 0x00, 0x7e };
	static const uint8_t mid[] = { 0x81, 0x7e, 0x01, 0x00 };
	static const uint8_t max[] = { 0x81, 0x7e, 0xff, 0xff };

	(void)state;
	check_header(WSFRAME_TEXT, 126, min, sizeof(min));
	check_header(WSFRAME_TEXT, 256, mid, sizeof(mid));
	check_header(WSFRAME_TEXT, 65535, max, sizeof(max));
}

static void
test_sixty_four_bit_lengths(void **state)
{
	static const uint8_t min[] = { 0x81, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00,
		0x00 };
	static const uint8_t big[] = { 0x82, 0x7f, 0, 0, 0, 0x01, 0x02, 0x03,
		0x04, 0x05 };

	(void)state;
	check_header(WSFRAME_TEXT, 65536, min, sizeof(min));
	check_header(WSFRAME_BINARY, (size_t)0x0102030405ULL, big,
	    sizeof(big));
	assert_int_equal(wsframe_header_len(SIZE_MAX), WSFRAME_HEADER_MAX);
}

static void
test_opcodes(void **state)
{
	static const uint8_t bin[] = { 0x82, 0x03 };
	static const uint8_t cls[] = { 0x88, 0x02 };

	(void)state;
	check_header(WSFRAME_BINARY, 3, bin, sizeof(bin));
	check_header(WSFRAME_CLOSE, 2, cls, sizeof(cls));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_seven_bit_lengths),
		cmocka_unit_test(test_sixteen_bit_lengths),
		cmocka_unit_test(test_sixty_four_bit_lengths),
		cmocka_unit_test(test_opcodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

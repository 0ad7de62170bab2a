/* test_roomfile.c - join's room files cut into names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "roomfile.h"

/* The names seen, joined by '|'. */
static char seen[256];

static int
keep(const char *name, void *arg)
{
	size_t at = strlen(seen);

	(void)arg;
	snprintf(seen + at, sizeof(seen) - at, "%s%s", at ? "|" : "", name);
	return 0;
}

static int
refuse(const char *name, void *arg)
{
	(void)name;
	(void)arg;
	return -1;
}

/* Splits 'text' (copied, with the byte past its end the caller owes). */
static long
split(const char *text, size_t len, char *err, size_t errlen)
{
	char buf[128];

	memcpy(buf, text, len);
	buf[len] = '\0';
	seen[0] = '\0';
	return roomfile_split(buf, len, keep, NULL, err, errlen);
}

/* A literal's length, its NUL left out. */
#define SPLIT(lit) split(lit, sizeof(lit) - 1, err, sizeof(err))

static void
test_lines(void **state)
{
	char err[80];

	(void)state;
	assert_int_equal(SPLIT("a\nb\n"), 2);
	assert_string_equal(seen, "a|b");
	/* No final newline, CRLF, blank lines, spaces and '#' kept. */
	assert_int_equal(SPLIT("\n\r\nB-12 \r\n# x\nlast"), 3);
	assert_string_equal(seen, "B-12 |# x|last");
	assert_int_equal(SPLIT(""), 0);
	assert_int_equal(SPLIT("\r"), 0);
	assert_int_equal(SPLIT("é\n"), 1);
	assert_string_equal(seen, "é");
}

static void
test_refusals(void **state)
{
	char err[80], buf[8] = "a\nb";

	(void)state;
	assert_int_equal(SPLIT("a\n\377\n"), -1);
	assert_string_equal(err, "line 2 is not UTF-8");
	assert_int_equal(SPLIT("a\0b\n"), -1);
	assert_string_equal(err, "a NUL byte: not a text file");
	assert_int_equal(roomfile_split(buf, 3, refuse, NULL, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "out of memory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_linebuf.c - input cut into lines, in a capped buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "linebuf.h"

/* "Reads" 's' into the buffer as far as it fits; returns bytes taken. */
static size_t
feed(struct linebuf *lb, const char *s)
{
	char *at;
	size_t room = linebuf_space(lb, &at), n = strlen(s);

	if (n > room)
		n = room;
	memcpy(at, s, n);
	linebuf_commit(lb, n);
	return n;
}

static void
expect(struct linebuf *lb, const char *want)
{
	const char *line;
	size_t len;

	assert_int_equal(linebuf_next(lb, &line, &len), 1);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(line, want, len);
}

static void
test_lines_across_reads(void **state)
{
	struct linebuf lb;
	const char *line;
	size_t len;

	(void)state;
	assert_int_equal(linebuf_init(&lb, 64), 0);
	feed(&lb, "one\ntw");
	expect(&lb, "one");
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	feed(&lb, "o\r\n\nthree");
	expect(&lb, "two");
	expect(&lb, "");
	assert_int_equal(lb.lineno, 3);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	assert_false(linebuf_done(&lb));
	linebuf_commit(&lb, 0); /* end of input */
	expect(&lb, "three");
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	assert_true(linebuf_done(&lb));
	linebuf_release(&lb);
}

static void
test_long_line_is_skipped(void **state)
{
	struct linebuf lb;
	const char *line;
	size_t len;

	(void)state;
	assert_int_equal(linebuf_init(&lb, 8), 0);
	assert_int_equal(feed(&lb, "ok\n01234"), 8);
	expect(&lb, "ok");
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	/* "01234567" fills the buffer without a newline: too long. */
	assert_int_equal(feed(&lb, "56789"), 3);
	assert_int_equal(linebuf_next(&lb, &line, &len), -1);
	assert_int_equal(lb.lineno, 2);
	/* The rest of it is dropped up to its newline. */
	assert_int_equal(feed(&lb, "8"), 1);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	assert_int_equal(feed(&lb, "9\nnext\n"), 7);
	expect(&lb, "next");
	assert_int_equal(lb.lineno, 3);
	linebuf_release(&lb);
}

static void
test_exact_fit_and_empty_input(void **state)
{
	struct linebuf lb;
	const char *line;
	size_t len;

	(void)state;
	assert_int_equal(linebuf_init(&lb, 4), 0);
	feed(&lb, "abc\n");
	expect(&lb, "abc");
	linebuf_commit(&lb, 0);
	assert_int_equal(linebuf_next(&lb, &line, &len), 0);
	assert_true(linebuf_done(&lb));
	linebuf_release(&lb);
	assert_int_equal(linebuf_init(&lb, 1), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_across_reads),
		cmocka_unit_test(test_long_line_is_skipped),
		cmocka_unit_test(test_exact_fit_and_empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

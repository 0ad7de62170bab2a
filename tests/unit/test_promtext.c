/* test_promtext.c - Prometheus' text format: names, escapes, numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "promtext.h"

static void
test_names(void **state)
{
	(void)state;
	assert_true(promtext_name_ok("georoomd_messages_in_total"));
	assert_true(promtext_name_ok("_x"));
	assert_true(promtext_name_ok("a:b_c9"));
	assert_true(promtext_name_ok(":x"));
	assert_false(promtext_name_ok(""));
	assert_false(promtext_name_ok("9x"));
	assert_false(promtext_name_ok("a-b"));
	assert_false(promtext_name_ok("a b"));
	assert_false(promtext_name_ok("caf\xc3\xa9"));
	assert_false(promtext_name_ok(NULL));

	assert_true(promtext_label_name_ok("reason"));
	assert_true(promtext_label_name_ok("_r9"));
	assert_false(promtext_label_name_ok("__name__"));
	assert_false(promtext_label_name_ok("a:b"));
	assert_false(promtext_label_name_ok("9"));
	assert_false(promtext_label_name_ok(""));
}

static void
test_family(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(promtext_family(&b, "x_total", "counter",
	                     "a \\ back\nslash \"quoted\""),
	    0);
	/* HELP escapes backslash and newline, not the double quote. */
	assert_string_equal(b.data,
	    "# HELP x_total a \\\\ back\\nslash \"quoted\"\n"
	    "# TYPE x_total counter\n");
	buf_reset(&b);
	assert_int_equal(promtext_family(&b, "g", "gauge", ""), 0);
	assert_string_equal(b.data, "# HELP g \n# TYPE g gauge\n");
	buf_reset(&b);
	errno = 0;
	assert_int_equal(promtext_family(&b, "g", "histogramm", "h"), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(promtext_family(&b, "g-h", "gauge", "h"), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_samples(void **state)
{
	struct buf b;
	struct promtext_label l[2] = {
		{ "namespace", "/", 1 },
		{ "reason", "a\"b\\c\nd", 7 },
	};

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(promtext_sample(&b, "n", NULL, 0, 3), 0);
	assert_int_equal(promtext_sample(&b, "n", l, 1, 0), 0);
	assert_int_equal(promtext_sample(&b, "n", l, 2, 12345678901234.0), 0);
	assert_string_equal(b.data,
	    "n 3\n"
	    "n{namespace=\"/\"} 0\n"
	    "n{namespace=\"/\",reason=\"a\\\"b\\\\c\\nd\"} 12345678901234\n");
	buf_reset(&b);
	/* A value may hold a NUL: its length says where it ends. */
	l[0].value = "a\0b";
	l[0].len = 3;
	assert_int_equal(promtext_sample(&b, "n", l, 1, 1), 0);
	assert_memory_equal(b.data, "n{namespace=\"a\0b\"} 1\n", 21);
	buf_reset(&b);
	l[0].name = "__bad";
	errno = 0;
	assert_int_equal(promtext_sample(&b, "n", l, 1, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(promtext_sample(&b, "n n", NULL, 0, 1), -1);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void
test_numbers(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 4096);
	assert_int_equal(promtext_sample(&b, "a", NULL, 0, 0.25), 0);
	assert_int_equal(promtext_sample(&b, "b", NULL, 0, -7), 0);
	assert_int_equal(promtext_sample(&b, "c", NULL, 0, 9007199254740992.0),
	    0);
	assert_int_equal(promtext_sample(&b, "d", NULL, 0, 1e300), 0);
	assert_int_equal(promtext_sample(&b, "e", NULL, 0, INFINITY), 0);
	assert_int_equal(promtext_sample(&b, "f", NULL, 0, -INFINITY), 0);
	assert_int_equal(promtext_sample(&b, "g", NULL, 0, NAN), 0);
	assert_string_equal(b.data,
	    "a 0.25\nb -7\nc 9007199254740992\nd 1.0000000000000001e+300\n"
	    "e +Inf\nf -Inf\ng NaN\n");
	buf_release(&b);
}

/* A full buffer fails cleanly: ENOBUFS, never a cut line over the cap. */
static void
test_cap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	errno = 0;
	assert_int_equal(promtext_sample(&b, "a_long_name", NULL, 0, 1), -1);
	assert_int_equal(errno, ENOBUFS);
	assert_true(b.len <= 8);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_cmdline.c - option tables, help text and number parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmdline.h"

static const struct cmdline_opt table[] = {
	{ "help", 'h', NULL, "print help" },
	{ "port", 'p', "PORT", "listen on PORT" },
	{ "no-notify", CMDLINE_LONG_ONLY, NULL, "do not notify" },
	{ "path", CMDLINE_LONG_ONLY + 1, "PATH", "handshake path" },
	{ 0 }
};

static void
test_init_builds_getopt_arguments(void **state)
{
	struct cmdline cl;

	(void)state;
	assert_int_equal(cmdline_init(&cl, table), 0);
	assert_string_equal(cl.shortopts, "hp:");
	assert_string_equal(cl.longopts[1].name, "port");
	assert_int_equal(cl.longopts[1].has_arg, required_argument);
	assert_int_equal(cl.longopts[2].val, CMDLINE_LONG_ONLY);
	assert_int_equal(cl.longopts[2].has_arg, no_argument);
	assert_null(cl.longopts[4].name);
}

static void
test_init_refuses_repeated_value(void **state)
{
	static const struct cmdline_opt dup[] = {
		{ "a", 'a', NULL, "" }, { "b", 'a', NULL, "" }, { 0 }
	};
	struct cmdline cl;

	(void)state;
	errno = 0;
	assert_int_equal(cmdline_init(&cl, dup), -1);
	assert_int_equal(errno, EINVAL);
}

static void
test_getopt_permutes_options_after_words(void **state)
{
	char *argv[] = { "prog", "join", "1", "-p", "80", "--no-notify", NULL };
	struct cmdline cl;
	int c, seen_p = 0, seen_long = 0;

	(void)state;
	assert_int_equal(cmdline_init(&cl, table), 0);
	optind = 0;
	while ((c = getopt_long(6, argv, cl.shortopts, cl.longopts,
	    NULL)) != -1) {
		if (c == 'p') {
			seen_p = 1;
			assert_string_equal(optarg, "80");
		} else if (c == CMDLINE_LONG_ONLY) {
			seen_long = 1;
		}
	}
	assert_true(seen_p && seen_long);
	assert_string_equal(argv[optind], "join");
	assert_string_equal(argv[optind + 1], "1");
}

static void
test_help_lists_every_option(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	cmdline_help(out, "usage: prog [-h]\n", table);
	fclose(out);
	assert_non_null(strstr(text, "usage: prog [-h]\n"));
	assert_non_null(strstr(text, "-p, --port PORT"));
	assert_non_null(strstr(text, "    --no-notify"));
	assert_non_null(strstr(text, "    --path PATH"));
	free(text);
}

static void
test_number_ranges(void **state)
{
	long long v = 7;

	(void)state;
	assert_int_equal(cmdline_number("3030", 0, 65535, &v), 0);
	assert_int_equal(v, 3030);
	assert_int_equal(cmdline_number("-1", 0, 65535, &v), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(cmdline_number("65536", 0, 65535, &v), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(cmdline_number("99999999999999999999", 0, 10, &v),
	    -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(cmdline_number("12x", 0, 100, &v), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(cmdline_number("", 0, 100, &v), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(v, 3030);	/* untouched on failure */
}

static void
test_double_ranges(void **state)
{
	double d = 0;

	(void)state;
	assert_int_equal(cmdline_double("-180", -180, 180, &d), 0);
	assert_true(d == -180.0);
	assert_int_equal(cmdline_double("12.5", 0, 100, &d), 0);
	assert_true(d == 12.5);
	assert_int_equal(cmdline_double("180.0001", -180, 180, &d), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(cmdline_double("nan", -180, 180, &d), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(cmdline_double("inf", -1e300, 1e300, &d), -1);
	assert_int_equal(errno, ERANGE);
	assert_int_equal(cmdline_double("1e", 0, 100, &d), -1);
	assert_int_equal(errno, EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_builds_getopt_arguments),
		cmocka_unit_test(test_init_refuses_repeated_value),
		cmocka_unit_test(test_getopt_permutes_options_after_words),
		cmocka_unit_test(test_help_lists_every_option),
		cmocka_unit_test(test_number_ranges),
		cmocka_unit_test(test_double_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

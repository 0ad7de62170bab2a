/*
 * test_cmdline.c - option tables, help text, the options read through a
 * program's apply() and number parsing.
 */
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
#include "exits.h"
#include "version.h"

static const struct cmdline_opt table[] = { { "help", 'h', NULL, "print help",
	                                        NULL },
	{ "port", 'p', "PORT", "listen on PORT", NULL },
	{ "no-notify", CMDLINE_LONG_ONLY, NULL, "do not notify", NULL },
	{ "path", CMDLINE_LONG_ONLY + 1, "PATH", "handshake path", NULL },
	{ 0 } };

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
	static const struct cmdline_opt dup[] = { { "a", 'a', NULL, "", NULL },
		{ "b", 'a', NULL, "", NULL }, { 0 } };
	struct cmdline cl;

	(void)state;
	errno = 0;
	assert_int_equal(cmdline_init(&cl, dup), -1);
	assert_int_equal(errno, EINVAL);
}

static void
test_getopt_permutes_options_after_words(void **state)
{
	char *argv[] = { "prog", "join", "1", "-p", "80", "--no-notify",
		NULL };
	struct cmdline cl;
	int c, seen_p = 0, seen_long = 0;

	(void)state;
	assert_int_equal(cmdline_init(&cl, table), 0);
	optind = 0;
	while ((c = getopt_long(6, argv, cl.shortopts, cl.longopts, NULL)) !=
	    -1) {
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

/* Rewrites argv and checks the words it makes, joined by spaces. */
static void
reordered(int argc, char **argv, const char *want)
{
	char *out[16], got[256] = "";
	int n = cmdline_operands_last(table, argc, argv, out);
	size_t len = 0;

	assert_null(out[n]);
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    i > 0 ? " " : "", out[i]);
	assert_string_equal(got, want);
}

static void
test_operands_last(void **state)
{
	char *a[] = { "prog", "near", "-122.4", "-.5", "500", "-p", "-3",
		"--pa", "-x", "--port=9", "-hp9", "-", NULL };
	char *b[] = { "prog", "-h", "a", "--", "-p", "--no-notify", NULL };
	char *c[] = { "prog", "--pa", NULL };

	(void)state;
	/* Numbers are operands, but an option's argument stays with it. */
	reordered(12, a,
	    "prog -p -3 --pa -x --port=9 -hp9 -- near -122.4 -.5 500 -");
	reordered(6, b, "prog -h -- a -p --no-notify");
	/* An argument missing is getopt's to tell. */
	reordered(2, c, "prog --pa --");
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

/* A program for cmdline_parse(): -p PORT [$TEST_CMDLINE_PORT], -q. */
static const struct cmdline_opt prog_table[] = { { "help", 'h', NULL,
	                                             "print help", NULL },
	{ "port", 'p', "PORT", "listen on PORT", "TEST_CMDLINE_PORT" },
	{ "quiet", 'q', NULL, "say less", NULL },
	{ "version", 'V', NULL, "print the version", NULL }, { 0 } };

struct prog_ctx {
	long long port;
	int quiet, from_env;
	char err[128];
};

static int
prog_apply(int val, const char *arg, void *ctx)
{
	struct prog_ctx *c = ctx;

	if (val == 'q') {
		c->quiet++;
		return 0;
	}
	return cmdline_number_arg(prog_table, val, arg, 1, 65535, &c->port,
	    c->err, sizeof(c->err));
}

static int
prog_apply_env(int val, const char *arg, void *ctx)
{
	struct prog_ctx *c = ctx;

	c->from_env++;
	return prog_apply(val, arg, ctx);
}

static const struct cmdline_prog prog = {
	.name = "prog",
	.usage = "usage: prog [-hqV] [-p port] word\n",
	.opts = prog_table,
	.apply = prog_apply,
	.apply_env = prog_apply_env,
	.reason_at = CMDLINE_REASON_AT(struct prog_ctx, err),
	.env_status = EX_CONFIG,
};

/* Runs cmdline_parse() on 'argv'; what it wrote lands in out and err. */
static int
parse(const struct cmdline_prog *p, char **argv, struct prog_ctx *c,
    int *status, char **out, char **err)
{
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
	int argc = 0, rc;

	assert_non_null(o);
	assert_non_null(e);
	while (argv[argc] != NULL)
		argc++;
	memset(c, 0, sizeof(*c));
	*status = -42;
	rc = cmdline_parse(p, argc, argv, c, o, e, status);
	fclose(o);
	fclose(e);
	return rc;
}

static void
test_parse_env_then_command_line(void **state)
{
	char *argv[] = { "prog", "word", "-q", "-p", "80", NULL };
	char *none[] = { "prog", NULL };
	char *out, *err;
	struct cmdline_prog plain = prog;
	struct prog_ctx c;
	int status;

	(void)state;
	setenv("TEST_CMDLINE_PORT", "8080", 1);
	assert_int_equal(parse(&prog, argv, &c, &status, &out, &err), 0);
	assert_int_equal(status, -42);
	assert_int_equal(c.from_env, 1);
	assert_int_equal(c.port, 80);
	assert_int_equal(c.quiet, 1);
	assert_string_equal(argv[optind], "word");
	assert_string_equal(out, "");
	assert_string_equal(err, "");
	free(out);
	free(err);

	/* Without apply_env, apply() takes the environment's values too. */
	plain.apply_env = NULL;
	assert_int_equal(parse(&plain, none, &c, &status, &out, &err), 0);
	assert_int_equal(c.from_env, 0);
	assert_int_equal(c.port, 8080);
	assert_int_equal(optind, 1);
	free(out);
	free(err);
	unsetenv("TEST_CMDLINE_PORT");
}

static void
test_parse_help_and_version(void **state)
{
	char *help[] = { "prog", "-q", "--help", "-p", "x", NULL };
	char *version[] = { "prog", "-V", NULL };
	char *out, *err;
	struct prog_ctx c;
	int status;

	(void)state;
	assert_int_equal(parse(&prog, help, &c, &status, &out, &err), -1);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "usage: prog [-hqV] [-p port] word\n"));
	assert_non_null(strstr(out, "-p, --port PORT"));
	assert_string_equal(err, "");
	free(out);
	free(err);
	assert_int_equal(parse(&prog, version, &c, &status, &out, &err), -1);
	assert_int_equal(status, 0);
	assert_string_equal(out, "prog " GEOROOM_VERSION "\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void
test_parse_usage_errors(void **state)
{
	char *unknown[] = { "prog", "--no-such-option", NULL };
	char *bad[] = { "prog", "-p", "0", NULL };
	char *out, *err;
	struct prog_ctx c;
	struct cmdline_prog silent = prog;
	int status;

	(void)state;
	opterr = 0; /* getopt_long's own line would go to stderr */
	assert_int_equal(parse(&prog, unknown, &c, &status, &out, &err), -1);
	opterr = 1;
	assert_int_equal(status, EX_USAGE);
	assert_string_equal(err, "prog: try 'prog --help'\n");
	assert_string_equal(out, "");
	free(out);
	free(err);
	assert_int_equal(parse(&prog, bad, &c, &status, &out, &err), -1);
	assert_int_equal(status, EX_USAGE);
	assert_string_equal(err, "prog: --port '0' is outside [1, 65535]\n");
	free(out);
	free(err);
	/* A program whose apply() says why itself: nothing more is said. */
	silent.reason_at = 0;
	assert_int_equal(parse(&silent, bad, &c, &status, &out, &err), -1);
	assert_int_equal(status, EX_USAGE);
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void
test_parse_bad_environment(void **state)
{
	char *argv[] = { "prog", "-p", "80", NULL };
	char *out, *err;
	struct prog_ctx c;
	struct cmdline_prog usage = prog;
	int status;

	(void)state;
	setenv("TEST_CMDLINE_PORT", "eighty", 1);
	assert_int_equal(parse(&prog, argv, &c, &status, &out, &err), -1);
	assert_int_equal(status, EX_CONFIG);
	assert_string_equal(err,
	    "prog: --port 'eighty' is not a whole number "
	    "in [1, 65535]\nprog: bad value in $TEST_CMDLINE_PORT\n");
	free(out);
	free(err);
	usage.env_status = EX_USAGE;
	assert_int_equal(parse(&usage, argv, &c, &status, &out, &err), -1);
	assert_int_equal(status, EX_USAGE);
	free(out);
	free(err);
	unsetenv("TEST_CMDLINE_PORT");
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
	assert_int_equal(v, 3030); /* untouched on failure */
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

static void
test_find_and_long_name(void **state)
{
	(void)state;
	assert_ptr_equal(cmdline_find(table, 'p'), &table[1]);
	assert_ptr_equal(cmdline_find(table, CMDLINE_LONG_ONLY + 1),
	    &table[3]);
	assert_null(cmdline_find(table, 'x'));
	assert_string_equal(cmdline_long_name(table, 'p'), "port");
	assert_string_equal(cmdline_long_name(table, CMDLINE_LONG_ONLY),
	    "no-notify");
	assert_string_equal(cmdline_long_name(table, 'x'), "?");
}

static void
test_number_arg_messages(void **state)
{
	char err[128];
	long long v = 7;

	(void)state;
	snprintf(err, sizeof(err), "untouched");
	assert_int_equal(cmdline_number_arg(table, 'p', "80", 0, 65535, &v,
	                     err, sizeof(err)),
	    0);
	assert_int_equal(v, 80);
	assert_string_equal(err, "untouched");
	assert_int_equal(cmdline_number_arg(table, 'p', "70000", 0, 65535, &v,
	                     err, sizeof(err)),
	    -1);
	assert_string_equal(err, "--port '70000' is outside [0, 65535]");
	assert_int_equal(cmdline_number_arg(table, 'p', "8o", 0, 65535, &v,
	                     err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "--port '8o' is not a whole number in [0, 65535]");
	assert_int_equal(cmdline_number_arg(table, 'p', "", 1, 2, &v, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "--port '' is not a whole number in [1, 2]");
	assert_int_equal(v, 80); /* untouched on failure */
	/* A short buffer holds a truncated message, still terminated. */
	assert_int_equal(cmdline_number_arg(table, 'p', "70000", 0, 65535, &v,
	                     err, 8),
	    -1);
	assert_string_equal(err, "--port ");
}

static void
test_double_arg_messages(void **state)
{
	char err[128];
	double d = 0;

	(void)state;
	assert_int_equal(cmdline_double_arg(table, CMDLINE_LONG_ONLY + 1,
	                     "0.25", 0, 1, &d, err, sizeof(err)),
	    0);
	assert_true(d == 0.25);
	assert_int_equal(cmdline_double_arg(table, CMDLINE_LONG_ONLY + 1,
	                     "1.5", 0, 1, &d, err, sizeof(err)),
	    -1);
	assert_string_equal(err, "--path '1.5' is outside [0, 1]");
	assert_int_equal(cmdline_double_arg(table, 'p', "soon", 0.001,
	                     31536000, &d, err, sizeof(err)),
	    -1);
	assert_string_equal(err,
	    "--port 'soon' is not a number in [0.001, 3.1536e+07]");
	assert_true(d == 0.25);
}

static void
test_list_add_is_bounded(void **state)
{
	const char *list[2];
	char err[128];
	size_t n = 0;

	(void)state;
	assert_int_equal(cmdline_list_add(table, 'p', "a", list, &n, 2, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(cmdline_list_add(table, 'p', "b", list, &n, 2, err,
	                     sizeof(err)),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "a");
	assert_string_equal(list[1], "b");
	assert_int_equal(cmdline_list_add(table, 'p', "c", list, &n, 2, err,
	                     sizeof(err)),
	    -1);
	assert_string_equal(err, "more than 2 --port options");
	assert_int_equal(n, 2);
	assert_string_equal(list[1], "b");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_builds_getopt_arguments),
		cmocka_unit_test(test_init_refuses_repeated_value),
		cmocka_unit_test(test_getopt_permutes_options_after_words),
		cmocka_unit_test(test_operands_last),
		cmocka_unit_test(test_help_lists_every_option),
		cmocka_unit_test(test_parse_env_then_command_line),
		cmocka_unit_test(test_parse_help_and_version),
		cmocka_unit_test(test_parse_usage_errors),
		cmocka_unit_test(test_parse_bad_environment),
		cmocka_unit_test(test_number_ranges),
		cmocka_unit_test(test_double_ranges),
		cmocka_unit_test(test_find_and_long_name),
		cmocka_unit_test(test_number_arg_messages),
		cmocka_unit_test(test_double_arg_messages),
		cmocka_unit_test(test_list_add_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_cliopt.c - georoom-cli's option values and its defaults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cliopt.h"
#include "exits.h"

static void
test_defaults(void **state)
{
	struct cliopt o;

	(void)state;
	cliopt_init(&o);
	assert_string_equal(o.url, "ws://localhost:3030");
	assert_string_equal(o.path, "/socket.io/");
	assert_int_equal(o.ack_timeout, 10000);
	assert_int_equal(o.connect_timeout, 20000);
	assert_int_equal(o.max_queue, 1000);
	assert_int_equal(o.reconnect, 1);
	assert_int_equal(o.delay, 1000);
	assert_int_equal(o.delay_max, 5000);
	assert_true(o.jitter == 0.5);
	assert_int_equal(o.verbosity, 1);
	assert_string_equal(o.user, "");
	assert_null(o.control);
}

static void
test_values_checked(void **state)
{
	struct cliopt o;

	(void)state;
	cliopt_init(&o);
	assert_int_equal(cliopt_apply('C', "3", &o), 0);
	assert_int_equal(o.count, 3);
	assert_int_equal(cliopt_apply('C', "0", &o), -1);
	assert_string_equal(o.err,
	    "--count '0' is outside [1, 9223372036854775807]");
	assert_int_equal(cliopt_apply('W', "0.5", &o), 0);
	assert_true(o.timeout == 0.5);
	assert_int_equal(cliopt_apply('W', "soon", &o), -1);
	assert_int_equal(cliopt_apply(CLIOPT_RECONNECT_JITTER, "1.5", &o), -1);
	assert_int_equal(cliopt_apply(CLIOPT_USER, "7", &o), 0);
	assert_string_equal(o.user, "7");
	assert_int_equal(cliopt_apply(CLIOPT_USER, "9007199254740992", &o),
	    -1);
	assert_int_equal(cliopt_apply('q', NULL, &o), 0);
	assert_int_equal(o.verbosity, 0);
	assert_int_equal(cliopt_apply('v', NULL, &o), 0);
	assert_int_equal(cliopt_apply('v', NULL, &o), 0);
	assert_int_equal(o.verbosity, 2);
	assert_int_equal(cliopt_apply(CLIOPT_NO_RECONNECT, NULL, &o), 0);
	assert_int_equal(o.reconnect, 0);
}

static void
test_lists_bounded(void **state)
{
	struct cliopt o;
	int i;

	(void)state;
	cliopt_init(&o);
	for (i = 0; i < CLIOPT_LIST_MAX; i++)
		assert_int_equal(cliopt_apply('e', "chat", &o), 0);
	assert_int_equal(o.nevents, CLIOPT_LIST_MAX);
	assert_int_equal(cliopt_apply('e', "chat", &o), -1);
	assert_string_equal(o.err, "more than 64 --event options");
	assert_int_equal(cliopt_apply('H', "A: b", &o), 0);
	assert_int_equal(o.nheaders, 1);
}

/* --token, or GEOROOM_TOKEN, beside --auth, or GEOROOM_AUTH; the command
 * line wins over the environment.  cmd_auth() combines the two. */
static void
test_token(void **state)
{
	char *argv[] = { "georoom-cli", "--token", "cmdline", "tail", NULL };
	char *plain[] = { "georoom-cli", "tail", NULL };
	struct cliopt o;
	int status = -1;

	(void)state;
	cliopt_init(&o);
	assert_null(o.token);
	assert_int_equal(cliopt_apply(CLIOPT_TOKEN, "ey.J0.x", &o), 0);
	assert_string_equal(o.token, "ey.J0.x");

	setenv("GEOROOM_TOKEN", "fromenv", 1);
	setenv("GEOROOM_AUTH", "{\"n\":1}", 1);
	cliopt_init(&o);
	assert_int_equal(cmdline_parse(&cliopt_prog, 2, plain, &o, stdout,
	                     stderr, &status),
	    0);
	assert_string_equal(o.token, "fromenv");
	assert_string_equal(o.auth, "{\"n\":1}");
	cliopt_init(&o);
	assert_int_equal(cmdline_parse(&cliopt_prog, 4, argv, &o, stdout,
	                     stderr, &status),
	    0);
	assert_string_equal(o.token, "cmdline");
	unsetenv("GEOROOM_TOKEN");
	unsetenv("GEOROOM_AUTH");
}

/* The whole command line, through cmdline_parse(). */
static void
test_prog(void **state)
{
	char *argv[] = { "georoom-cli", "join", "1", "-u", "ws://h:1", "-d",
		NULL };
	char *bad[] = { "georoom-cli", "--max-queue", "0", NULL };
	char *text = NULL;
	size_t len = 0;
	FILE *err;
	struct cliopt o;
	int status = -1;

	(void)state;
	setenv("GEOROOM_PATH", "/chat/", 1);
	cliopt_init(&o);
	assert_int_equal(cmdline_parse(&cliopt_prog, 6, argv, &o, stdout,
	                     stderr, &status),
	    0);
	assert_string_equal(o.url, "ws://h:1");
	assert_string_equal(o.path, "/chat/");
	assert_int_equal(o.data_only, 1);
	assert_string_equal(argv[optind], "join");
	unsetenv("GEOROOM_PATH");

	err = open_memstream(&text, &len);
	assert_non_null(err);
	cliopt_init(&o);
	assert_int_equal(cmdline_parse(&cliopt_prog, 3, bad, &o, stdout, err,
	                     &status),
	    -1);
	fclose(err);
	assert_int_equal(status, EX_USAGE);
	assert_string_equal(text,
	    "georoom-cli: --max-queue '0' is outside [1, 1000000]\n");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values_checked),
		cmocka_unit_test(test_lists_bounded),
		cmocka_unit_test(test_prog),
		cmocka_unit_test(test_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

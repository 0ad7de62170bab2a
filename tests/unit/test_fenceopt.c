/*
 * test_fenceopt.c - geofence's command words and operands, and the
 * options that go with one command only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fenceopt.h"

/* Checks the words of 'argv' (NULL-ended); returns 0 or -1. */
static int
check(struct fenceopt *o, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return fenceopt_check(o, argc, argv);
}

static void
test_commands(void **state)
{
	struct fenceopt o;
	char *add[] = { "add", "B-12", "f.json", NULL };
	char *add_stdin[] = { "add", "42", NULL };
	char *list[] = { "list", NULL };
	char *rm[] = { "remove", "a", "b", NULL };

	(void)state;
	fenceopt_init(&o);
	assert_int_equal(check(&o, add), 0);
	assert_int_equal(o.cmd, FENCEOPT_ADD);
	assert_string_equal(o.id.text, "B-12");
	assert_string_equal(o.file, "f.json");
	assert_int_equal(check(&o, add_stdin), 0);
	assert_null(o.file);
	assert_int_equal(locid_is_int(&o.id), 1);
	assert_int_equal(check(&o, list), 0);
	assert_int_equal(o.cmd, FENCEOPT_LIST);
	assert_int_equal(check(&o, rm), 0);
	assert_int_equal(o.nids, 2);
	assert_string_equal(o.ids[1], "b");
}

static void
test_refused(void **state)
{
	struct fenceopt o;
	char *none[] = { NULL };
	char *bad_id[] = { "add", "a b", NULL };
	char *too_many[] = { "add", "a", "f", "g", NULL };
	char *rm_none[] = { "remove", NULL };
	char *rm_bad[] = { "remove", "ok", "", NULL };
	char *list_more[] = { "list", "x", NULL };
	char *other[] = { "show", NULL };
	char *list[] = { "list", NULL };
	char *add[] = { "add", "a", NULL };

	(void)state;
	fenceopt_init(&o);
	assert_int_equal(check(&o, none), -1);
	assert_string_equal(o.err, "missing command: add, list or remove");
	assert_int_equal(check(&o, bad_id), -1);
	assert_non_null(strstr(o.err, "fence id 'a b': "));
	assert_int_equal(check(&o, too_many), -1);
	assert_int_equal(check(&o, rm_none), -1);
	assert_int_equal(check(&o, rm_bad), -1);
	assert_int_equal(check(&o, list_more), -1);
	assert_int_equal(check(&o, other), -1);
	assert_string_equal(o.err,
	    "unknown command 'show': add, list or remove");
	assert_int_equal(fenceopt_apply(FENCEOPT_NAME, "Depot", &o), 0);
	assert_int_equal(check(&o, list), -1);
	assert_string_equal(o.err, "--name goes with add only");
	fenceopt_init(&o);
	assert_int_equal(fenceopt_apply(FENCEOPT_COLLECTION, NULL, &o), 0);
	assert_int_equal(check(&o, add), -1);
	assert_string_equal(o.err, "--collection goes with list only");
	assert_int_equal(fenceopt_apply(FENCEOPT_NAME, "", &o), -1);
	assert_int_equal(fenceopt_apply(FENCEOPT_TABLE, "a-b", &o), -1);
	assert_int_equal(fenceopt_apply(FENCEOPT_TIMEOUT, "0", &o), -1);
	assert_int_equal(fenceopt_apply(FENCEOPT_TIMEOUT, "30", &o), 0);
	assert_int_equal(o.timeout, 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

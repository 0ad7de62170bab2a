/*
 * test_getargs.c - geoget's command line: each command's operands into a
 * question, numbers and ranges refused with the operand named, options
 * that belong to another command refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "getargs.h"

/* Checks the operands of 'line', split at spaces, with the options 'o'. */
static int
check(struct getargs *o, const char *line)
{
	char buf[256], *words[16];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *p = buf; *p != '\0' && n < 16;) {
		words[n++] = p;
		p += strcspn(p, " ");
		if (*p == ' ')
			*p++ = '\0';
	}
	getargs_release(o);
	return getargs_check(o, n, words);
}

static void
refused(struct getargs *o, const char *line, const char *want)
{
	if (check(o, line) != -1)
		fail_msg("accepted: %s", line);
	assert_string_equal(o->err, want);
}

static void
test_commands(void **state)
{
	struct getargs o;

	(void)state;
	getargs_init(&o);
	assert_int_equal(check(&o, "now"), 0);
	assert_int_equal(o.req.cmd, GETSQL_NOW);
	assert_int_equal(o.req.nids, 0);
	assert_int_equal(check(&o, "now B-12 42"), 0);
	assert_int_equal(o.req.nids, 2);
	assert_string_equal(o.req.ids[0].text, "B-12");
	assert_int_equal(o.req.ids[1].num, 42);
	assert_int_equal(check(&o, "near -122.4 37.8 500"), 0);
	assert_int_equal(o.req.cmd, GETSQL_NEAR);
	assert_true(o.req.lon == -122.4 && o.req.meters == 500);
	assert_int_equal(o.req.area.n, 1);
	assert_int_equal(check(&o, "within 170 -10 -170 10"), 0);
	assert_int_equal(o.req.area.n, 2);
	assert_int_equal(getargs_apply(GETARGS_LINE, NULL, &o), 0);
	assert_int_equal(getargs_apply(GETARGS_SINCE, "1h", &o), 0);
	assert_int_equal(check(&o, "trail B-12"), 0);
	assert_int_equal(o.req.cmd, GETSQL_TRAIL);
	assert_string_equal(o.req.ids[0].text, "B-12");
	getargs_release(&o);
}

static void
test_refusals(void **state)
{
	struct getargs o;

	(void)state;
	getargs_init(&o);
	refused(&o, "", "missing command: now, near, within or trail");
	refused(&o, "where",
	    "unknown command 'where': expected now, near, "
	    "within or trail");
	refused(&o, "now B/12",
	    "now: id must be an integer from 1 to "
	    "9007199254740991 or a string of 1 to 64 "
	    "letters, digits and \"._:-\", got \"B/12\"");
	refused(&o, "near 1 2",
	    "near takes LON LAT METERS, got fewer operands");
	refused(&o, "near 181 0 5",
	    "near: longitude '181' is not a number from -180 to 180");
	refused(&o, "near 0 x 5",
	    "near: latitude 'x' is not a number from -90 to 90");
	refused(&o, "near 0 0 0",
	    "near: the distance must be more than 0 "
	    "metres");
	refused(&o, "near 0 0 3e7",
	    "near: distance in metres '3e7' is not a "
	    "number from 0 to 2e+07");
	refused(&o, "within 0 1 2",
	    "within takes W S E N (or --polygon FILE), "
	    "got fewer operands");
	refused(&o, "within 0 2 1 1",
	    "within: south 2 is north of north 1: give W S E N");
	refused(&o, "trail", "trail takes one ID, got none");
	refused(&o, "trail a b", "trail takes one ID, got more");
	assert_int_equal(getargs_apply(GETARGS_LINE, NULL, &o), 0);
	refused(&o, "now", "--line is for trail");
	getargs_release(&o);
	getargs_init(&o);
	assert_int_equal(getargs_apply(GETARGS_POLYGON, "-", &o), 0);
	refused(&o, "within 1 2 3 4",
	    "within --polygon takes no operand, got '1'");
	assert_int_equal(check(&o, "within"), 0);
	refused(&o, "near 1 2 3", "--polygon is for within");
	getargs_release(&o);
	getargs_init(&o);
	assert_int_equal(getargs_apply(GETARGS_SINCE, "2026-11-26T00:00:00Z",
	                     &o),
	    0);
	assert_int_equal(getargs_apply(GETARGS_UNTIL, "2026-11-25T00:00:00Z",
	                     &o),
	    0);
	refused(&o, "trail x", "--since is later than --until");
	refused(&o, "now", "--since and --until are for trail");
	assert_int_equal(getargs_apply(GETARGS_LIMIT, "0", &o), -1);
	assert_int_equal(getargs_apply(GETARGS_TABLE, "a-b", &o), -1);
	assert_non_null(strstr(o.err, "--table 'a-b': "));
	getargs_release(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

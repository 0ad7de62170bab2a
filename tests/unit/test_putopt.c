/* test_putopt.c - geoput's option values, one by one and together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "putopt.h"

static void
test_values_checked(void **state)
{
	struct putopt o;

	(void)state;
	putopt_init(&o);
	assert_string_equal(o.ns, "/");
	assert_int_equal(putopt_apply('n', "/fleet", &o), 0);
	assert_string_equal(o.ns, "/fleet");
	/* The hub's rule: no ',' nor control character. */
	assert_int_equal(putopt_apply('n', "/a,b", &o), -1);
	assert_string_equal(o.err, "--ns '/a,b': invalid namespace");
	assert_int_equal(putopt_apply('n', "fleet", &o), -1);
	assert_int_equal(putopt_apply(PUTOPT_EVENT, "connect", &o), -1);
	assert_int_equal(putopt_apply(PUTOPT_TIMEOUT, "0", &o), -1);
	assert_int_equal(putopt_apply(PUTOPT_TABLE, "a;b", &o), -1);
	assert_int_equal(putopt_apply(PUTOPT_ID, "42", &o), 0);
	assert_int_equal(o.defs.id, 42);
	putopt_release(&o);
}

static void
test_consistency(void **state)
{
	struct putopt o;

	(void)state;
	putopt_init(&o);
	assert_int_equal(putopt_check(&o, NULL), 0);
	assert_int_equal(putopt_apply(PUTOPT_LON, "1", &o), 0);
	assert_int_equal(putopt_check(&o, NULL), -1);
	assert_string_equal(o.err, "--lon and --lat go together");
	assert_int_equal(putopt_apply(PUTOPT_LAT, "1", &o), 0);
	assert_int_equal(putopt_check(&o, NULL), -1);
	assert_string_equal(o.err, "--lon and --lat need --id");
	assert_int_equal(putopt_apply(PUTOPT_ID, "1", &o), 0);
	assert_int_equal(putopt_check(&o, NULL), 0);
	assert_int_equal(putopt_check(&o, "in.json"), -1);
	putopt_release(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_checked),
		cmocka_unit_test(test_consistency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

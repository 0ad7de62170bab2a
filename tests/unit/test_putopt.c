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
	assert_string_equal(o.defs.id.text, "42");
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

/* Which announcer: the command line beats the environment. */
static void
test_announcer(void **state)
{
	struct putopt o;

	(void)state;
	putopt_init(&o);
	assert_string_equal(o.redis_key, "socket.io");
	assert_int_equal(putopt_apply(PUTOPT_REDIS_KEY, "", &o), -1);
	assert_string_equal(o.err, "--redis-key must be 1 to 63 bytes");
	assert_int_equal(putopt_apply(PUTOPT_REDIS_KEY, "custom", &o), 0);
	/* $GEOROOM_REDIS sets $GEOROOM_SOCKET aside. */
	assert_int_equal(putopt_apply_env('c', "/env.sock", &o), 0);
	assert_int_equal(putopt_apply_env(PUTOPT_REDIS, "redis://a", &o), 0);
	assert_string_equal(o.redis_env, "GEOROOM_REDIS");
	assert_int_equal(putopt_check(&o, NULL), 0);
	assert_string_equal(o.redis_url, "redis://a");
	/* --hub sets $GEOROOM_REDIS aside. */
	assert_int_equal(putopt_apply('c', "/flag.sock", &o), 0);
	assert_null(o.hub_env);
	assert_int_equal(putopt_check(&o, NULL), 0);
	assert_null(o.redis_url);
	assert_string_equal(o.hub, "/flag.sock");
	/* --hub and --redis: the user must choose. */
	assert_int_equal(putopt_apply(PUTOPT_REDIS, "redis://b", &o), 0);
	assert_null(o.redis_env);
	assert_int_equal(putopt_check(&o, NULL), -1);
	assert_string_equal(o.err, "choose --hub or --redis, not both");
	putopt_release(&o);

	/* --redis sets $GEOROOM_SOCKET aside. */
	putopt_init(&o);
	assert_int_equal(putopt_apply_env('c', "/env.sock", &o), 0);
	assert_int_equal(putopt_apply(PUTOPT_REDIS, "redis://b", &o), 0);
	assert_int_equal(putopt_check(&o, NULL), 0);
	assert_string_equal(o.redis_url, "redis://b");
	putopt_release(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_checked),
		cmocka_unit_test(test_consistency),
		cmocka_unit_test(test_announcer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

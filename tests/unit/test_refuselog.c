/* test_refuselog.c - one refusal line per address per interval. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "refuselog.h"

static const uint8_t seed[16] = { 1, 2, 3 };

static struct cidr_addr
addr(const char *s)
{
	struct cidr_addr a;

	assert_int_equal(cidr_addr_parse(s, strlen(s), &a), 0);
	return a;
}

static void
test_names(void **state)
{
	int r;

	(void)state;
	assert_string_equal(refuse_reason_name(REFUSE_PATH), "path");
	assert_string_equal(refuse_reason_name(REFUSE_MAX_PER_IP),
	    "max_per_ip");
	assert_string_equal(refuse_reason_name(REFUSE_MEMORY), "memory");
	assert_string_equal(refuse_reason_name(REFUSE_NREASONS), "unknown");
	for (r = 0; r < REFUSE_NREASONS; r++)
		assert_non_null(refuse_reason_name(r));
}

static void
test_one_line_per_interval(void **state)
{
	struct refuselog rl;
	struct cidr_addr a = addr("192.0.2.1"), b = addr("2001:db8::1");
	uint64_t sup, unl;
	int i;

	(void)state;
	refuselog_init(&rl, seed, 16, 10000);
	assert_int_equal(refuselog_note(&rl, &a, 1000, &sup, &unl), 1);
	assert_int_equal(sup, 0);
	assert_int_equal(unl, 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(refuselog_note(&rl, &a, 1000 + i * 1000, &sup,
		                     &unl),
		    0);
	/* Another address has its own line. */
	assert_int_equal(refuselog_note(&rl, &b, 2000, &sup, &unl), 1);
	assert_int_equal(sup, 0);
	/* 9.999 s after its line: still quiet; 10 s: a line, with the count. */
	assert_int_equal(refuselog_note(&rl, &a, 10999, &sup, &unl), 0);
	assert_int_equal(refuselog_note(&rl, &a, 11000, &sup, &unl), 1);
	assert_int_equal(sup, 6);
	assert_int_equal(refuselog_note(&rl, &a, 11001, &sup, &unl), 0);
	assert_int_equal(refuselog_note(&rl, &a, 30000, &sup, &unl), 1);
	assert_int_equal(sup, 1);
	assert_int_equal(refuselog_count(&rl), 2);
	refuselog_release(&rl);
}

/* A full table forgets only addresses past their interval; others are
 * counted as unlisted and told with the next line. */
static void
test_bounded(void **state)
{
	struct refuselog rl;
	struct cidr_addr a = addr("192.0.2.1"), b = addr("192.0.2.2"),
	                 c = addr("192.0.2.3");
	uint64_t sup, unl;

	(void)state;
	refuselog_init(&rl, seed, 2, 10000);
	assert_int_equal(refuselog_note(&rl, &a, 0, &sup, &unl), 1);
	assert_int_equal(refuselog_note(&rl, &b, 5000, &sup, &unl), 1);
	assert_int_equal(refuselog_note(&rl, &c, 6000, &sup, &unl), 0);
	assert_int_equal(refuselog_note(&rl, &c, 7000, &sup, &unl), 0);
	assert_int_equal(refuselog_note(&rl, NULL, 7000, &sup, &unl), 0);
	assert_int_equal(refuselog_count(&rl), 2);
	/* 'a' is past its interval: forgotten for 'c', which tells. */
	assert_int_equal(refuselog_note(&rl, &c, 10000, &sup, &unl), 1);
	assert_int_equal(sup, 0);
	assert_int_equal(unl, 3);
	assert_int_equal(refuselog_count(&rl), 2);
	/* 'a' is new again. */
	assert_int_equal(refuselog_note(&rl, &a, 10001, &sup, &unl), 0);
	assert_int_equal(refuselog_note(&rl, &a, 15000, &sup, &unl), 1);
	assert_int_equal(unl, 1);
	refuselog_release(&rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_one_line_per_interval),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

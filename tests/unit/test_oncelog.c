/* test_oncelog.c - one line per address per interval, in fixed memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "oncelog.h"

static struct cidr_addr
addr(unsigned n)
{
	struct cidr_addr a;

	memset(&a, 0, sizeof(a));
	a.len = 4;
	a.bytes[0] = 10;
	a.bytes[2] = (uint8_t)(n >> 8);
	a.bytes[3] = (uint8_t)n;
	return a;
}

static void
test_once_per_interval(void **state)
{
	struct oncelog l;
	struct cidr_addr a = addr(1), b = addr(2);
	uint64_t quiet = 99;

	(void)state;
	oncelog_init(&l);
	assert_true(oncelog_due(&l, &a, 1000, 10000, &quiet));
	assert_int_equal(quiet, 0);
	assert_false(oncelog_due(&l, &a, 2000, 10000, NULL));
	assert_false(oncelog_due(&l, &a, 10999, 10000, NULL));
	assert_true(oncelog_due(&l, &b, 3000, 10000, NULL));
	assert_true(oncelog_due(&l, &a, 11000, 10000, &quiet));
	assert_int_equal(quiet, 2);
	assert_false(oncelog_due(&l, &a, 11001, 10000, NULL));
}

/* More addresses than slots: the one logged longest ago makes room. */
static void
test_full_table_forgets_the_oldest(void **state)
{
	struct oncelog l;
	struct cidr_addr a;
	unsigned i;

	(void)state;
	oncelog_init(&l);
	for (i = 0; i < ONCELOG_SLOTS; i++) {
		a = addr(i);
		assert_true(oncelog_due(&l, &a, 100 + i, 10000, NULL));
	}
	a = addr(1000);
	assert_true(oncelog_due(&l, &a, 500, 10000, NULL));
	a = addr(0); /* forgotten: logged again */
	assert_true(oncelog_due(&l, &a, 501, 10000, NULL));
	a = addr(5); /* still there */
	assert_false(oncelog_due(&l, &a, 502, 10000, NULL));
	a = addr(1000);
	assert_false(oncelog_due(&l, &a, 503, 10000, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_once_per_interval),
		cmocka_unit_test(test_full_table_forgets_the_oldest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

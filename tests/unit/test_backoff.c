/* test_backoff.c - reconnection delays: growth, cap, jitter, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "backoff.h"

static void
test_doubles_without_jitter(void **state)
{
	struct backoff b;

	(void)state;
	backoff_init(&b, 1000, 5000, 0);
	assert_int_equal(backoff_next(&b, 0.7), 1000);
	assert_int_equal(backoff_next(&b, 0.7), 2000);
	assert_int_equal(backoff_next(&b, 0.7), 4000);
	assert_int_equal(backoff_next(&b, 0.7), 5000);
	assert_int_equal(backoff_next(&b, 0.7), 5000);
	assert_int_equal(b.attempts, 5);
}

static void
test_jitter_as_socket_io_client(void **state)
{
	struct backoff b;

	(void)state;
	/* r = 0.25: first decimal 2 is even, down by 0.25 * 0.5 * ms. */
	backoff_init(&b, 1000, 5000, 0.5);
	assert_int_equal(backoff_next(&b, 0.25), 875);
	assert_int_equal(backoff_next(&b, 0.25), 1750);
	/* r = 0.375: odd, up by 0.375 * 0.5 * 4000 = 750. */
	assert_int_equal(backoff_next(&b, 0.375), 4750);
	/* Past the cap: capped after the jitter. */
	assert_int_equal(backoff_next(&b, 0.3), 5000);
	assert_int_equal(backoff_next(&b, 0.25), 5000);
	/* A large downward jitter goes below the first delay. */
	backoff_init(&b, 1000, 5000, 1);
	assert_int_equal(backoff_next(&b, 0.8), 200);
}

static void
test_jitter_stays_in_bounds(void **state)
{
	struct backoff b;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		double r = i / 1000.0;
		uint32_t d;

		backoff_init(&b, 1000, 5000, 0.5);
		d = backoff_next(&b, r);
		assert_in_range(d, 500, 1500);
		for (int k = 0; k < 10; k++)
			assert_in_range(backoff_next(&b, r), 0, 5000);
	}
}

static void
test_reset_starts_again(void **state)
{
	struct backoff b;

	(void)state;
	backoff_init(&b, 100, 800, 0);
	backoff_next(&b, 0);
	backoff_next(&b, 0);
	backoff_reset(&b);
	assert_int_equal(backoff_next(&b, 0), 100);
}

static void
test_odd_inputs(void **state)
{
	struct backoff b;

	(void)state;
	/* A cap below the first delay is raised to it; jitter clamped. */
	backoff_init(&b, 1000, 10, 7);
	assert_int_equal(b.max_ms, 1000);
	assert_true(b.jitter == 1);
	/* Random numbers outside [0, 1) count as 0. */
	backoff_init(&b, 1000, 5000, 0.5);
	assert_int_equal(backoff_next(&b, 1.5), 1000);
	/* No overflow after very many attempts. */
	backoff_init(&b, 1000, 5000, 0);
	b.attempts = UINT32_MAX - 1;
	assert_int_equal(backoff_next(&b, 0), 5000);
	assert_int_equal(backoff_next(&b, 0), 5000);
	assert_int_equal(b.attempts, UINT32_MAX);
	/* A zero first delay stays zero: reconnect at once. */
	backoff_init(&b, 0, 0, 0.5);
	assert_int_equal(backoff_next(&b, 0.9), 0);
}

/* The system's random numbers are in [0, 1) and not all the same. */
static void
test_random(void **state)
{
	double r, first = backoff_random();
	int differ = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		r = backoff_random();
		assert_true(r >= 0 && r < 1);
		differ |= r != first;
	}
	assert_true(differ);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_without_jitter),
		cmocka_unit_test(test_jitter_as_socket_io_client),
		cmocka_unit_test(test_jitter_stays_in_bounds),
		cmocka_unit_test(test_reset_starts_again),
		cmocka_unit_test(test_odd_inputs),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

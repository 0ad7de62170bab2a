/* test_ratelimit.c - the token bucket and when a client's excess is abuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ratelimit.h"

/* Events taken at 'now' until one is not passed; how many passed. */
static int
take_until_dropped(struct ratelimit *rl, const struct ratelimit_config *cfg,
    int64_t now)
{
	int n = 0;

	while (ratelimit_take(rl, cfg, now) == RATELIMIT_PASS)
		n++;
	return n;
}

static void
test_a_full_bucket_passes_the_burst(void **state)
{
	struct ratelimit_config cfg = { 10, 20, 0 };
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, &cfg, 1000);
	assert_int_equal(take_until_dropped(&rl, &cfg, 1000), 20);
	assert_int_equal(ratelimit_take(&rl, &cfg, 1000), RATELIMIT_DROP);
}

static void
test_the_bucket_refills_at_the_rate(void **state)
{
	struct ratelimit_config cfg = { 10, 20, 0 };
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	take_until_dropped(&rl, &cfg, 0);
	/* 10 a second: one every 100 ms, none before. */
	assert_int_equal(ratelimit_take(&rl, &cfg, 99), RATELIMIT_DROP);
	assert_int_equal(ratelimit_take(&rl, &cfg, 100), RATELIMIT_PASS);
	assert_int_equal(ratelimit_take(&rl, &cfg, 150), RATELIMIT_DROP);
	/* Half a second is worth five events, and fractions add up. */
	assert_int_equal(take_until_dropped(&rl, &cfg, 650), 5);
	assert_int_equal(take_until_dropped(&rl, &cfg, 700), 1);
	/* Idle for long, it holds the burst and no more. */
	assert_int_equal(take_until_dropped(&rl, &cfg, 3600000), 20);
}

static void
test_a_steady_client_under_the_rate_is_never_dropped(void **state)
{
	struct ratelimit_config cfg = { 50, 1, 1000 };
	struct ratelimit rl;
	int64_t t;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	for (t = 0; t < 60000; t += 20)
		assert_int_equal(ratelimit_take(&rl, &cfg, t), RATELIMIT_PASS);
}

static void
test_a_burst_after_a_pause_is_dropped_not_abuse(void **state)
{
	/* socket.io-client sends what it buffered offline all at once. */
	struct ratelimit_config cfg = { 10, 20, 5000 };
	struct ratelimit rl;
	int i, drops = 0;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	for (i = 0; i < 100; i++)
		drops += ratelimit_take(&rl, &cfg, 10) == RATELIMIT_DROP;
	assert_int_equal(drops, 80);
	/* Quiet for a while: the run ends, and the next one starts anew. */
	for (i = 0; i < 100; i++)
		assert_int_not_equal(ratelimit_take(&rl, &cfg, 4000 + i),
		    RATELIMIT_ABUSE);
	assert_int_not_equal(ratelimit_take(&rl, &cfg, 8999), RATELIMIT_ABUSE);
}

static void
test_sustained_excess_becomes_abuse_after_the_grace(void **state)
{
	/* Twice the rate: every other event is dropped, without pause. */
	struct ratelimit_config cfg = { 10, 20, 3000 };
	struct ratelimit rl;
	enum ratelimit_verdict v = RATELIMIT_PASS;
	int64_t t, first_drop = -1;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	for (t = 0; t < 10000; t += 50) {
		v = ratelimit_take(&rl, &cfg, t);
		if (v == RATELIMIT_DROP && first_drop < 0)
			first_drop = t;
		if (v == RATELIMIT_ABUSE)
			break;
	}
	assert_int_equal(v, RATELIMIT_ABUSE);
	/* The burst of 20 lasts about 2 s at twice the rate, then the
	 * grace of 3 s. */
	assert_true(first_drop >= 1900 && first_drop <= 2000);
	assert_true(t - first_drop >= 3000 && t - first_drop < 3100);
	assert_true(rl.dropped >= 30);
}

static void
test_a_pause_between_drops_ends_the_run(void **state)
{
	/* One event a second too many, then one every 1.5 s: no run lasts. */
	struct ratelimit_config cfg = { 1, 1, 2000 };
	struct ratelimit rl;
	int64_t t;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	assert_int_equal(ratelimit_take(&rl, &cfg, 0), RATELIMIT_PASS);
	for (t = 0; t < 30000; t += 1500) {
		/* two at once: the second is dropped, 1.5 s after the last */
		(void)ratelimit_take(&rl, &cfg, t);
		assert_int_equal(ratelimit_take(&rl, &cfg, t), RATELIMIT_DROP);
	}
}

static void
test_no_grace_never_disconnects(void **state)
{
	struct ratelimit_config cfg = { 1, 1, 0 };
	struct ratelimit rl;
	int64_t t;

	(void)state;
	ratelimit_init(&rl, &cfg, 0);
	for (t = 0; t < 100000; t += 10)
		assert_int_not_equal(ratelimit_take(&rl, &cfg, t),
		    RATELIMIT_ABUSE);
}

static void
test_extremes_do_not_overflow(void **state)
{
	struct ratelimit_config cfg = { RATELIMIT_MAX, RATELIMIT_MAX, 0 };
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, &cfg, INT64_MIN + 1);
	assert_int_equal(take_until_dropped(&rl, &cfg, INT64_MIN + 1),
	    RATELIMIT_MAX);
	/* Ages later the bucket is full again, not wrapped round. */
	assert_int_equal(take_until_dropped(&rl, &cfg, INT64_MAX),
	    RATELIMIT_MAX);
	/* A clock gone back adds nothing. */
	assert_int_equal(ratelimit_take(&rl, &cfg, 0), RATELIMIT_DROP);
	assert_int_equal(ratelimit_take(&rl, &cfg, INT64_MAX), RATELIMIT_DROP);
	assert_int_equal(take_until_dropped(&rl, &cfg, INT64_MAX), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_full_bucket_passes_the_burst),
		cmocka_unit_test(test_the_bucket_refills_at_the_rate),
		cmocka_unit_test(
		    test_a_steady_client_under_the_rate_is_never_dropped),
		cmocka_unit_test(
		    test_a_burst_after_a_pause_is_dropped_not_abuse),
		cmocka_unit_test(
		    test_sustained_excess_becomes_abuse_after_the_grace),
		cmocka_unit_test(test_a_pause_between_drops_ends_the_run),
		cmocka_unit_test(test_no_grace_never_disconnects),
		cmocka_unit_test(test_extremes_do_not_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

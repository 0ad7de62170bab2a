/* test_log.c - log_forward() hands on only the lines the sink wants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "log.h"

static int calls;
static char last[64];

static void
sink(void *arg, int level, const char *fmt, ...)
{
	va_list ap;

	(void)arg;
	(void)level;
	calls++;
	va_start(ap, fmt);
	vsnprintf(last, sizeof(last), fmt, ap);
	va_end(ap);
}

static void forward(int max, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
forward(int max, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_forward(sink, NULL, max, level, fmt, ap);
	va_end(ap);
}

static void
test_lines_above_the_threshold_are_dropped(void **state)
{
	(void)state;
	calls = 0;
	forward(LOG_LEVEL_INFO, LOG_LEVEL_DEBUG, "debug %d", 1);
	assert_int_equal(calls, 0);
	forward(LOG_LEVEL_INFO, LOG_LEVEL_INFO, "info %d", 2);
	assert_int_equal(calls, 1);
	assert_string_equal(last, "info 2");
	forward(LOG_LEVEL_WARN, LOG_LEVEL_ERR, "error %s", "x");
	assert_int_equal(calls, 2);
	assert_string_equal(last, "error x");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_above_the_threshold_are_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

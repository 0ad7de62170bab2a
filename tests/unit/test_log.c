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

/* Names peers choose show whole on one line: NUL, newline, escapes. */
static void
test_escape(void **state)
{
	char out[16];

	(void)state;
	assert_string_equal(log_escape(out, sizeof(out), "a\0b", 3),
	    "a\\x00b");
	assert_string_equal(log_escape(out, sizeof(out), "x\ny\\\x7f", 5),
	    "x\\x0ay\\x5c\\x7f");
	assert_string_equal(log_escape(out, sizeof(out), "", 0), "");
	assert_string_equal(log_escape(out, sizeof(out), "caf\xc3\xa9", 5),
	    "caf\xc3\xa9");
	/* 15 bytes fit exactly; 16 are cut, and "..." says so. */
	assert_string_equal(log_escape(out, sizeof(out), "0123456789abcde",
	                        15),
	    "0123456789abcde");
	assert_string_equal(log_escape(out, sizeof(out), "0123456789abcdef",
	                        16),
	    "0123456789ab...");
	/* An escape is never cut in two. */
	assert_string_equal(log_escape(out, sizeof(out), "0123456789\n\n", 12),
	    "0123456789...");
	assert_string_equal(log_escape(out, 5, "\n", 1), "\\x0a");
	assert_string_equal(log_escape(out, 5, "\n\n", 2), "...");
	assert_string_equal(log_escape(out, 5, "a", 1), "a");
}

/* RFC 3339 in UTC, milliseconds truncated. */
static void
test_timestamp(void **state)
{
	struct timespec ts = { 0, 999999999 };
	char buf[LOG_TIMESTAMP_LEN];

	(void)state;
	assert_string_equal(log_timestamp(buf, sizeof(buf), &ts),
	    "1970-01-01T00:00:00.999Z");
	ts.tv_sec = 1796635681; /* 2026-12-07T09:28:01Z */
	ts.tv_nsec = 123456789;
	assert_string_equal(log_timestamp(buf, sizeof(buf), &ts),
	    "2026-12-07T09:28:01.123Z");
	assert_int_equal(strlen(buf), LOG_TIMESTAMP_LEN - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_above_the_threshold_are_dropped),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_timestamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

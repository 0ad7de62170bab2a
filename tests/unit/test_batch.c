/* test_batch.c - input text turned into records, through a jq filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "batch.h"

static char told[1024];

/* Keeps every rejection as "LINE WHAT MSG\n". */
static void
collect(void *ctx, size_t line, const char *what, const char *msg)
{
	size_t n = strlen(told);

	(void)ctx;
	snprintf(told + n, sizeof(told) - n, "%zu %s%s\n", line, what, msg);
}

static void
test_values_become_records(void **state)
{
	struct record_defaults defs;
	struct batch b;
	const char *text = "{\"id\":1,\"lon\":1,\"lat\":2}\nnot json\n"
	                   "{\"id\":2,\"lon\":1,\"lat\":91}\n";

	(void)state;
	told[0] = '\0';
	record_defaults_init(&defs);
	batch_init(&b, &defs, NULL, collect, NULL);
	assert_int_equal(batch_read(&b, text, strlen(text)), 0);
	assert_int_equal(b.recs.n, 2);
	assert_int_equal(b.invalid, 2);
	assert_string_equal(b.recs.v[0].id.text, "1");
	assert_null(b.recs.v[0].error);
	assert_non_null(b.recs.v[1].error);
	assert_non_null(strstr(told, "2 bad JSON: "));
	assert_non_null(strstr(told, "3 lat: latitude 91 out of range"));
	batch_release(&b);
	record_defaults_release(&defs);
}

static void
test_filter_reshapes_each_value(void **state)
{
	struct record_defaults defs;
	struct jqfilter jq;
	struct batch b;
	char why[256];
	const char *text = "{\"v\":[{\"i\":5,\"x\":3,\"y\":4},{\"i\":6,\"x\":1,"
	                   "\"y\":1}]}\n{\"v\":7}\n";

	(void)state;
	told[0] = '\0';
	record_defaults_init(&defs);
	assert_int_equal(jqfilter_init(&jq,
	                     ".v[] | {id: .i, lon: .x, lat: .y}", jv_null(),
	                     why, sizeof(why)),
	    0);
	batch_init(&b, &defs, &jq, collect, NULL);
	assert_int_equal(batch_read(&b, text, strlen(text)), 0);
	assert_int_equal(b.recs.n, 2);
	assert_string_equal(b.recs.v[1].id.text, "6");
	assert_int_equal(b.recs.v[1].line, 1);
	assert_int_equal(b.invalid, 1);
	assert_memory_equal(told, "2 jq: ", 6);
	/* A value given directly skips the filter. */
	assert_int_equal(batch_add_value(&b,
	                     jv_parse("{\"id\":9,\"lon\":0,"
	                              "\"lat\":0}"),
	                     1),
	    0);
	assert_int_equal(b.recs.n, 3);
	batch_release(&b);
	jqfilter_release(&jq);
	record_defaults_release(&defs);
}

static void
test_lax_json_refused(void **state)
{
	struct record_defaults defs;
	struct jqfilter jq;
	struct batch b;
	char why[256];
	const char *text =
	    "{\"id\":1,\"lon\":1,\"lat\":2,\"properties\":{\"x\":nan}}\n"
	    "{\"id\":2,\"lon\":1,\"lat\":2}\n"
	    "{\"id\":3,\"lon\":1,\"lat\":2,\"properties\":{\"x\":-1e400}}\n"
	    "{\"id\":4,\"lon\":1,\"lat\":2,\"properties\":{\"n\":\"\xc3\"}}\n"
	    "{\"id\":1e400,\"lon\":1,\"lat\":2}\n";

	(void)state;
	told[0] = '\0';
	record_defaults_init(&defs);
	batch_init(&b, &defs, NULL, collect, NULL);
	assert_int_equal(batch_read(&b, text, strlen(text)), 0);
	assert_int_equal(b.recs.n, 1);
	assert_string_equal(b.recs.v[0].id.text, "2");
	assert_int_equal(b.invalid, 4);
	assert_string_equal(told,
	    "1 bad JSON: properties.x: nan is not JSON\n"
	    "3 properties.x: number -1e400 is out of range of a double\n"
	    "4 bad JSON: properties.n: invalid UTF-8 in a string\n"
	    "5 id: number 1e400 is out of range of a double\n");
	batch_release(&b);

	/* The text is checked before the filter sees the value. */
	told[0] = '\0';
	assert_int_equal(jqfilter_init(&jq, ".v[]", jv_null(), why,
	                     sizeof(why)),
	    0);
	batch_init(&b, &defs, &jq, collect, NULL);
	text = "{\"v\":[{\"id\":5,\"lon\":1,\"lat\":1},{\"x\":nan}]}\n";
	assert_int_equal(batch_read(&b, text, strlen(text)), 0);
	assert_int_equal(b.recs.n, 0);
	assert_string_equal(told, "1 bad JSON: v[1].x: nan is not JSON\n");
	batch_release(&b);
	jqfilter_release(&jq);
	record_defaults_release(&defs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_become_records),
		cmocka_unit_test(test_filter_reshapes_each_value),
		cmocka_unit_test(test_lax_json_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_jqfilter.c - the libjq wrapper, from the table in jqfilter.test
 * (jq's tests/jq.test manner), plus reuse, debug and error details.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jqfilter.h"

static FILE *table;
static int lineno;

/* Next line without its newline, skipping comments; NULL at the end. */
static char *
next_line(char **buf, size_t *cap)
{
	ssize_t n;

	while ((n = getline(buf, cap, table)) != -1) {
		lineno++;
		if (n > 0 && (*buf)[n - 1] == '\n')
			(*buf)[n - 1] = '\0';
		if ((*buf)[0] != '#')
			return *buf;
	}
	return NULL;
}

static char *
must_line(char **buf, size_t *cap)
{
	char *s = next_line(buf, cap);

	if (s == NULL)
		fail_msg("jqfilter.test:%d: unexpected end", lineno);
	return strdup(s);
}

static jv
must_parse(const char *s)
{
	jv v = jv_parse(s);

	if (!jv_is_valid(v))
		fail_msg("jqfilter.test:%d: bad JSON: %s", lineno, s);
	return v;
}

static void
run_normal(char *program, jv args, char **buf, size_t *cap)
{
	struct jqfilter f;
	char err[512], *input = must_line(buf, cap), *s;
	int at = lineno;
	jv outs, want = jv_array();

	while ((s = next_line(buf, cap)) != NULL && s[0] != '\0')
		want = jv_array_append(want, must_parse(s));
	if (jqfilter_init(&f, program, args, err, sizeof(err)) == -1)
		fail_msg("jqfilter.test:%d: %s: %s", at, program, err);
	outs = jqfilter_all(&f, must_parse(input));
	if (!jv_is_valid(outs)) {
		jv m = jv_invalid_get_msg(outs);

		fail_msg("jqfilter.test:%d: %s: error %s", at, program,
		    jv_string_value(m));
	}
	if (!jv_equal(jv_copy(outs), jv_copy(want))) {
		jv g = jv_dump_string(jv_copy(outs), 0);
		jv w = jv_dump_string(jv_copy(want), 0);

		fail_msg("jqfilter.test:%d: %s:\n got  %s\n want %s", at,
		    program, jv_string_value(g), jv_string_value(w));
	}
	jv_free(outs);
	jv_free(want);
	jqfilter_release(&f);
	free(input);
}

static void
run_fail(char **buf, size_t *cap)
{
	struct jqfilter f;
	char err[512], *program = must_line(buf, cap);
	char *want = must_line(buf, cap);

	if (jqfilter_init(&f, program, jv_null(), err, sizeof(err)) != -1)
		fail_msg("jqfilter.test:%d: %s: compiled", lineno, program);
	if (strstr(err, want) == NULL)
		fail_msg("jqfilter.test:%d: %s: error \"%s\" lacks \"%s\"",
		    lineno, program, err, want);
	if (strchr(err, '\n') != NULL)
		fail_msg("jqfilter.test:%d: message spans lines", lineno);
	free(program);
	free(want);
}

static void
run_error(char **buf, size_t *cap)
{
	struct jqfilter f;
	char err[512], *program = must_line(buf, cap);
	char *input = must_line(buf, cap), *want = must_line(buf, cap);
	jv v, m;

	if (jqfilter_init(&f, program, jv_null(), err, sizeof(err)) == -1)
		fail_msg("jqfilter.test:%d: %s: %s", lineno, program, err);
	v = jqfilter_all(&f, must_parse(input));
	if (jv_is_valid(v) || !jv_invalid_has_msg(jv_copy(v)))
		fail_msg("jqfilter.test:%d: %s: no error", lineno, program);
	m = jv_invalid_get_msg(v);
	if (strcmp(jv_string_value(m), want) != 0)
		fail_msg("jqfilter.test:%d: %s: error \"%s\", want \"%s\"",
		    lineno, program, jv_string_value(m), want);
	jv_free(m);
	jqfilter_release(&f);
	free(program);
	free(input);
	free(want);
}

static void
test_table(void **state)
{
	const char *top = getenv("GEOROOM_TOP");
	char path[4096], *buf = NULL, *s;
	size_t cap = 0;
	int tests = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/unit/jqfilter.test",
	    top ? top : ".");
	if ((table = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s (run from the top directory)", path);
	while ((s = next_line(&buf, &cap)) != NULL) {
		if (s[0] == '\0')
			continue;
		tests++;
		if (strcmp(s, "%%FAIL") == 0) {
			run_fail(&buf, &cap);
		} else if (strcmp(s, "%%ERROR") == 0) {
			run_error(&buf, &cap);
		} else if (strncmp(s, "%%ARGS ", 7) == 0) {
			jv args = must_parse(s + 7);
			char *program = must_line(&buf, &cap);

			run_normal(program, args, &buf, &cap);
			free(program);
		} else {
			char *program = strdup(s);

			run_normal(program, jv_null(), &buf, &cap);
			free(program);
		}
	}
	free(buf);
	fclose(table);
	assert_true(tests >= 15);
}

static void
collect(void *ctx, jv msg)
{
	jv *seen = ctx;

	*seen = jv_array_append(*seen, msg);
}

static void
test_reuse_and_debug(void **state)
{
	struct jqfilter f;
	char err[256];
	jv seen = jv_array(), v;

	(void)state;
	assert_int_equal(jqfilter_init(&f, "debug | .x", jv_null(), err,
	                     sizeof(err)),
	    0);
	v = jqfilter_all(&f, jv_parse("{\"x\":1}"));
	assert_true(jv_equal(v, jv_parse("[1]")));
	jqfilter_set_debug(&f, collect, &seen);
	/* A second run on the same filter, abandoned half way. */
	jqfilter_start(&f, jv_parse("{\"x\":2}"));
	v = jqfilter_next(&f);
	assert_true(jv_equal(v, jv_number(2)));
	jqfilter_start(&f, jv_parse("{\"x\":3}"));
	v = jqfilter_next(&f);
	assert_true(jv_equal(v, jv_number(3)));
	v = jqfilter_next(&f);
	assert_false(jv_is_valid(v));
	assert_false(jv_invalid_has_msg(v));
	assert_int_equal(jv_array_length(jv_copy(seen)), 2);
	assert_true(jv_equal(seen, jv_parse("[{\"x\":2},{\"x\":3}]")));
	jqfilter_release(&f);
	jqfilter_release(&f);
}

static void
test_compile_error_is_one_line(void **state)
{
	struct jqfilter f;
	char err[512];

	(void)state;
	assert_int_equal(jqfilter_init(&f, ".a | {", jv_null(), err,
	                     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "jq: error: syntax error"));
	assert_non_null(strstr(err, "jq: 1 compile error"));
	assert_null(strchr(err, '\n'));
	/* A tiny buffer is cut, never overrun. */
	assert_int_equal(jqfilter_init(&f, ".a | {", jv_null(), err, 8), -1);
	assert_int_equal(strlen(err), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_reuse_and_debug),
		cmocka_unit_test(test_compile_error_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

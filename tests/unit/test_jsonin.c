/* test_jsonin.c - JSON text split into values with their lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "jsonin.h"

/* Reads everything; one line per value "LINE JSON" or "LINE ! MESSAGE". */
static char *
split(const char *text)
{
	struct jsonin in;
	char *out = NULL;
	size_t len = 0, line;
	FILE *f = open_memstream(&out, &len);
	jv v;

	assert_non_null(f);
	assert_int_equal(jsonin_init(&in, text, strlen(text)), 0);
	for (;;) {
		v = jsonin_next(&in, &line);
		if (jv_is_valid(v)) {
			jv s = jv_dump_string(v, 0);

			fprintf(f, "%zu %s\n", line, jv_string_value(s));
			jv_free(s);
		} else if (jv_invalid_has_msg(jv_copy(v))) {
			jv m = jv_invalid_get_msg(v);

			fprintf(f, "%zu ! %s\n", line, jv_string_value(m));
			jv_free(m);
		} else {
			jv_free(v);
			break;
		}
	}
	jsonin_release(&in);
	fclose(f);
	return out;
}

static void
expect(const char *text, const char *want)
{
	char *got = split(text);

	if (strcmp(got, want) != 0)
		fail_msg("input:\n%s\ngot:\n%swant:\n%s", text, got, want);
	free(got);
}

static void
test_ndjson(void **state)
{
	(void)state;
	expect("{\"a\":1}\n{\"a\":2}\n", "1 {\"a\":1}\n2 {\"a\":2}\n");
	expect("{\"a\":1}\n\n  \n{\"a\":2}", "1 {\"a\":1}\n4 {\"a\":2}\n");
	expect("1\n2\n3", "1 1\n2 2\n3 3\n");
	expect("\"x\"\r\n[1]\r\n", "1 \"x\"\n2 [1]\n");
	expect("", "");
	expect("\n\n", "");
}

static void
test_documents(void **state)
{
	(void)state;
	expect("{\n  \"type\": \"Feature\",\n  \"id\": 1\n}\n",
	    "1 {\"type\":\"Feature\",\"id\":1}\n");
	expect("\n\n[\n1,\n2\n]\n{\"b\":\n2}\n", "3 [1,2]\n7 {\"b\":2}\n");
	/* Several values on one line all start on it. */
	expect("{\"a\":1} {\"a\":2}\n{\"a\":3}",
	    "1 {\"a\":1}\n1 {\"a\":2}\n"
	    "2 {\"a\":3}\n");
	expect("{\"a\":1} \n{\"a\":2}", "1 {\"a\":1}\n2 {\"a\":2}\n");
}

static void
test_errors_resume_on_next_line(void **state)
{
	(void)state;
	expect("{\"a\":1}\n{\"a\":}\n{\"a\":3}\n",
	    "1 {\"a\":1}\n2 ! a: } is not JSON\n"
	    "3 {\"a\":3}\n");
	expect("{\"a\":1}\n[1,\n2\n",
	    "1 {\"a\":1}\n"
	    "2 ! the text ends inside the value\n");
	expect("tru\n", "1 ! tru is not JSON\n");
	expect("{\"a\" 1}\n2\n",
	    "1 ! 1 is not JSON\n"
	    "2 2\n");
	/* An error on a later line of a document is reported on its line,
	 * and reading goes on after it. */
	expect("{\n\"a\": 1,\n\"b\": nan}\n[3]\n",
	    "3 ! b: nan is not JSON\n4 [3]\n");
	/* What libjq's parser took, or leaked memory on. */
	expect("{\"a\":nan}\n{\"b\":\"\xff\"}\n01\n",
	    "1 ! a: nan is not JSON\n"
	    "2 ! b: invalid UTF-8 in a string\n"
	    "3 ! 01 is not JSON\n");
	expect("[{\"id\":1,x\x01}]\n{\"ok\":1}\n",
	    "1 ! [0]: x? is not JSON\n"
	    "2 {\"ok\":1}\n");
}

/* Each value's text as jsonin_text() gives it, between '<' and '>'. */
static void
expect_texts(const char *text, const char *want)
{
	struct jsonin in;
	char got[512];
	size_t line, n = 0;
	jv v;

	got[0] = '\0';
	assert_int_equal(jsonin_init(&in, text, strlen(text)), 0);
	for (;;) {
		const char *t;
		size_t len;

		v = jsonin_next(&in, &line);
		if (!jv_is_valid(v)) {
			if (!jv_invalid_has_msg(jv_copy(v))) {
				jv_free(v);
				break;
			}
			jv_free(v);
			continue;
		}
		jv_free(v);
		jsonin_text(&in, &t, &len);
		n += (size_t)snprintf(got + n, sizeof(got) - n, "<%.*s>",
		    (int)len, t);
	}
	jsonin_release(&in);
	if (strcmp(got, want) != 0)
		fail_msg("input:\n%s\ngot:  %s\nwant: %s", text, got, want);
}

static void
test_texts(void **state)
{
	(void)state;
	expect_texts("{\"a\":1}\n{\"a\":2}\n", "<{\"a\":1}><{\"a\":2}>");
	expect_texts("1\n2", "<1><2>");
	expect_texts("{\"a\":1} {\"a\":2}\n\n[\n3\n]\n",
	    "<{\"a\":1}><{\"a\":2}><[\n3\n]>");
	/* Numbers past a double are read, for the caller to name. */
	expect_texts("{\"a\":1e400}\n", "<{\"a\":1e400}>");
	/* After an error, reading goes on with the next line. */
	expect_texts("{\"a\":}  \n {\"b\":2}\n", "<{\"b\":2}>");
	/* A byte order mark at the start is not part of the first value. */
	expect_texts("\xef\xbb\xbf{\"a\":1}\n", "<{\"a\":1}>");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ndjson),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_errors_resume_on_next_line),
		cmocka_unit_test(test_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

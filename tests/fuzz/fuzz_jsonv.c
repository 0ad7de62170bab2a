/*
 * fuzz_jsonv.c - libFuzzer target for jsonv_parse.  It must take exactly
 * what json_check takes, refuse under JSONV_FINITE only what overflows,
 * and what it takes must print and parse back to an equal value.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "json.h"
#include "jsonv.h"

#define DEPTH 16

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int strict = json_check(text, size, DEPTH);
	jv v, f, back;
	int rc;

	rc = jsonv_parse(text, size, DEPTH, 0, &v);
	if (rc != strict || (rc == -1) != !jv_is_valid(v))
		abort();
	if (rc == -1) {
		if (errno != EINVAL ||
		    jsonv_problem(errno, text, size) == NULL)
			abort();
		return 0;
	}
	if (jsonv_parse(text, size, DEPTH, JSONV_FINITE, &f) == 0) {
		/* Finite values print as JSON that reads back the same. */
		jv printed = jv_dump_string(jv_copy(f), 0);

		if (jsonv_parse(jv_string_value(printed),
		        (size_t)jv_string_length_bytes(jv_copy(printed)),
		        DEPTH, JSONV_FINITE, &back) != 0 ||
		    !jv_equal(jv_copy(f), back))
			abort();
		jv_free(printed);
		if (!jv_equal(jv_copy(v), f))
			abort();
	} else if (errno != ERANGE) {
		abort();
	}
	jv_free(v);
	return 0;
}

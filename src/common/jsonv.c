/* jsonv.c - JSON text to libjq values, by RFC 8259 and nothing laxer. */
#include "jsonv.h"
#include "json.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Numbers longer than this are copied to the heap to be read. */
#define NUMBER_ON_STACK 64

static int
fail(int e)
{
	errno = e;
	return -1;
}

static int
parse_string(struct json_scan *s, jv *out)
{
	unsigned char small[256], *o = small;
	const char *raw;
	size_t rawlen, n;

	if (json_scan_read_string(s, &raw, &rawlen) == -1)
		return -1;
	if (rawlen > INT_MAX)
		return fail(EINVAL);
	if (rawlen > sizeof(small) && (o = malloc(rawlen)) == NULL)
		return fail(ENOMEM);
	n = json_unescape(raw, rawlen, (char *)o);
	*out = jv_string_sized((const char *)o, (int)n);
	if (o != small)
		free(o);
	return 0;
}

static int
parse_number(struct json_scan *s, unsigned flags, jv *out)
{
	const unsigned char *start = s->p;
	char small[NUMBER_ON_STACK + 1], *copy = small;
	size_t len;
	double d;

	if (json_scan_skip_number(s) == -1)
		return -1;
	len = (size_t)(s->p - start);
	if (len > NUMBER_ON_STACK && (copy = malloc(len + 1)) == NULL)
		return fail(ENOMEM);
	memcpy(copy, start, len);
	copy[len] = '\0';
	d = strtod(copy, NULL);
	if (copy != small)
		free(copy);
	if ((flags & JSONV_FINITE) && !isfinite(d))
		return fail(ERANGE);
	*out = jv_number(d);
	return 0;
}

static int parse_value(struct json_scan *s, int depth, unsigned flags,
    jv *out);

static int
parse_array(struct json_scan *s, int depth, unsigned flags, jv *out)
{
	jv a = jv_array();

	json_scan_skip_space(s);
	if (json_scan_take(s, ']'))
		goto done;
	do {
		jv v;

		json_scan_skip_space(s);
		if (parse_value(s, depth, flags, &v) == -1)
			goto fail;
		a = jv_array_append(a, v);
		json_scan_skip_space(s);
	} while (json_scan_take(s, ','));
	if (!json_scan_take(s, ']')) {
		errno = EINVAL;
		goto fail;
	}
done:
	*out = a;
	return 0;
fail:
	jv_free(a);
	return -1;
}

static int
parse_object(struct json_scan *s, int depth, unsigned flags, jv *out)
{
	jv o = jv_object();

	json_scan_skip_space(s);
	if (json_scan_take(s, '}'))
		goto done;
	do {
		jv k, v;

		json_scan_skip_space(s);
		if (json_scan_peek(s) != '"') {
			errno = EINVAL;
			goto fail;
		}
		if (parse_string(s, &k) == -1)
			goto fail;
		json_scan_skip_space(s);
		if (!json_scan_take(s, ':')) {
			jv_free(k);
			errno = EINVAL;
			goto fail;
		}
		json_scan_skip_space(s);
		if (parse_value(s, depth, flags, &v) == -1) {
			jv_free(k);
			goto fail;
		}
		o = jv_object_set(o, k, v);
		json_scan_skip_space(s);
	} while (json_scan_take(s, ','));
	if (!json_scan_take(s, '}')) {
		errno = EINVAL;
		goto fail;
	}
done:
	*out = o;
	return 0;
fail:
	jv_free(o);
	return -1;
}

/* The value at the cursor, inside 'depth' more levels at most. */
static int
parse_value(struct json_scan *s, int depth, unsigned flags, jv *out)
{
	switch (json_scan_peek(s)) {
	case '"':
		return parse_string(s, out);
	case '[':
	case '{':
		if (depth <= 0)
			return fail(EINVAL);
		return json_scan_take(s, '[') ?
		    parse_array(s, depth - 1, flags, out) :
		    (json_scan_take(s, '{'),
		        parse_object(s, depth - 1, flags, out));
	case 't':
	case 'f':
	case 'n': {
		int c = json_scan_peek(s);

		if (json_scan_skip_value(s, 0) == -1)
			return -1;
		*out = c == 't' ? jv_true() :
		    c == 'f'    ? jv_false() :
		                  jv_null();
		return 0;
	}
	default:
		return parse_number(s, flags, out);
	}
}

int
jsonv_parse(const char *text, size_t len, int max_depth, unsigned flags,
    jv *out)
{
	struct json_scan s;
	jv v;

	*out = jv_invalid();
	json_scan_init(&s, text, len);
	json_scan_skip_space(&s);
	if (parse_value(&s, max_depth, flags, &v) == -1)
		return -1;
	json_scan_skip_space(&s);
	if (s.p != s.end) {
		jv_free(v);
		return fail(EINVAL);
	}
	*out = v;
	return 0;
}

const char *
jsonv_problem(int err, const char *text, size_t len)
{
	switch (err) {
	case ERANGE:
		return "a number beyond the range of a double";
	case ENOMEM:
		return "out of memory";
	default:
		if (json_utf8_check(text, len) == -1)
			return "not UTF-8";
		return "not JSON as RFC 8259 defines it";
	}
}

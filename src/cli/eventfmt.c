/* eventfmt.c - the lines georoom-cli prints for what it receives. */
#include "eventfmt.h"

#include <string.h>

#include "json.h"

/* Deepest nesting the codec lets through. */
#define DEPTH_MAX 64

/* Where each element of an array text starts and ends. */
struct span {
	const char *first_start; /* first element to keep, or NULL */
	const char *first_end;
	const char *last_end;   /* end of the last element */
	const char *name_start; /* the skipped element, if any */
	const char *name_end;
};

/*
 * Walks the array text, skipping 'skip' leading elements.  Returns 0, or
 * -1 when the text is not an array or holds fewer than 'skip' elements.
 */
static int
split(const char *json, size_t len, int skip, struct span *sp)
{
	struct json_scan s;
	int i = 0;

	memset(sp, 0, sizeof(*sp));
	json_scan_init(&s, json, len);
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '['))
		return -1;
	json_scan_skip_space(&s);
	if (json_scan_take(&s, ']'))
		return skip > 0 ? -1 : 0;
	for (;; i++) {
		const char *start, *end;

		json_scan_skip_space(&s);
		start = (const char *)s.p;
		if (json_scan_skip_value(&s, DEPTH_MAX) == -1)
			return -1;
		end = (const char *)s.p;
		if (i < skip) {
			sp->name_start = start;
			sp->name_end = end;
		} else {
			if (sp->first_start == NULL) {
				sp->first_start = start;
				sp->first_end = end;
			}
			sp->last_end = end;
		}
		json_scan_skip_space(&s);
		if (json_scan_take(&s, ']'))
			break;
		if (!json_scan_take(&s, ','))
			return -1;
	}
	return i + 1 >= skip ? 0 : -1;
}

/* "data":...,"args":[...],"ns":... and the closing brace. */
static jv
append_rest(jv out, const struct span *sp, const char *ns)
{
	out = jv_string_append_str(out, ",\"data\":");
	if (sp->first_start == NULL) {
		out = jv_string_append_str(out, "null,\"args\":[]");
	} else {
		out = jv_string_append_buf(out, sp->first_start,
		    (int)(sp->first_end - sp->first_start));
		out = jv_string_append_str(out, ",\"args\":[");
		out = jv_string_append_buf(out, sp->first_start,
		    (int)(sp->last_end - sp->first_start));
		out = jv_string_append_str(out, "]");
	}
	out = jv_string_append_str(out, ",\"ns\":");
	out = jv_string_concat(out, jv_dump_string(jv_string(ns), 0));
	return jv_string_append_str(out, "}");
}

jv
eventfmt_event(const char *json, size_t len, const char *ns)
{
	struct span sp;
	jv out;

	if (split(json, len, 1, &sp) == -1)
		return jv_invalid_with_msg(jv_string("not an event array"));
	out = jv_string("{\"event\":");
	out = jv_string_append_buf(out, sp.name_start,
	    (int)(sp.name_end - sp.name_start));
	return append_rest(out, &sp, ns);
}

jv
eventfmt_ack(const char *event, const char *json, size_t len, const char *ns)
{
	struct span sp;
	jv out;

	if (split(json, len, 0, &sp) == -1)
		return jv_invalid_with_msg(jv_string("not an ack array"));
	out = jv_string("{\"ack\":");
	out = jv_string_concat(out, jv_dump_string(jv_string(event), 0));
	return append_rest(out, &sp, ns);
}

jv
eventfmt_data(const char *json, size_t len, int skip)
{
	struct span sp;

	if (split(json, len, skip, &sp) == -1)
		return jv_invalid_with_msg(jv_string("not an array"));
	if (sp.first_start == NULL)
		return jv_string("null");
	return jv_string_sized(sp.first_start,
	    (int)(sp.first_end - sp.first_start));
}

static jv
base64(const unsigned char *p, size_t len)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	jv out = jv_string("");
	char quad[4];
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		quad[0] = digits[p[i] >> 2];
		quad[1] = digits[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		quad[2] = digits[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		quad[3] = digits[p[i + 2] & 63];
		out = jv_string_append_buf(out, quad, 4);
	}
	if (i < len) {
		quad[0] = digits[p[i] >> 2];
		if (i + 1 < len) {
			quad[1] = digits[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			quad[2] = digits[(p[i + 1] & 15) << 2];
		} else {
			quad[1] = digits[(p[i] & 3) << 4];
			quad[2] = '=';
		}
		quad[3] = '=';
		out = jv_string_append_buf(out, quad, 4);
	}
	return out;
}

/* True for {"_placeholder":true,"num":N}; sets *num. */
static int
placeholder(jv v, double *num)
{
	jv flag, n;
	int yes;

	if (jv_get_kind(v) != JV_KIND_OBJECT)
		return 0;
	flag = jv_object_get(jv_copy(v), jv_string("_placeholder"));
	n = jv_object_get(jv_copy(v), jv_string("num"));
	yes = jv_get_kind(flag) == JV_KIND_TRUE &&
	    jv_get_kind(n) == JV_KIND_NUMBER;
	if (yes)
		*num = jv_number_value(n);
	jv_free(flag);
	jv_free(n);
	return yes;
}

static jv
attach(jv v, const struct iovec *att, unsigned natt, int depth)
{
	double num;

	if (depth > DEPTH_MAX)
		return v;
	if (placeholder(v, &num)) {
		jv_free(v);
		if (num < 0 || num >= natt || num != (double)(unsigned)num)
			return jv_null();
		return jv_object_set(jv_object(), jv_string("base64"),
		    base64(att[(unsigned)num].iov_base,
		        att[(unsigned)num].iov_len));
	}
	if (jv_get_kind(v) == JV_KIND_ARRAY) {
		int n = jv_array_length(jv_copy(v));

		for (int i = 0; i < n; i++)
			v = jv_array_set(v, i,
			    attach(jv_array_get(jv_copy(v), i), att, natt,
			        depth + 1));
	} else if (jv_get_kind(v) == JV_KIND_OBJECT) {
		jv keys = jv_keys(jv_copy(v));
		int n = jv_array_length(jv_copy(keys));

		for (int i = 0; i < n; i++) {
			jv k = jv_array_get(jv_copy(keys), i);

			v = jv_object_set(v, jv_copy(k),
			    attach(jv_object_get(jv_copy(v), k), att, natt,
			        depth + 1));
		}
		jv_free(keys);
	}
	return v;
}

jv
eventfmt_attach(jv data, const struct iovec *att, unsigned natt)
{
	return attach(data, att, natt, 0);
}

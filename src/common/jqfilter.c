/* jqfilter.c - one jq program run over JSON values (libjq). */
#include "jqfilter.h"

#include <stdio.h>
#include <string.h>

/* libjq reports compile errors here; they are kept, not printed. */
static void
on_error(void *ctx, jv msg)
{
	struct jqfilter *f = ctx;

	if (jv_get_kind(msg) != JV_KIND_STRING)
		msg = jv_dump_string(msg, 0);
	f->errors = jv_array_append(f->errors, msg);
}

static void
on_debug(void *ctx, jv msg)
{
	struct jqfilter *f = ctx;

	if (f->debug != NULL)
		f->debug(f->debug_ctx, msg);
	else
		jv_free(msg);
}

/* Joins the kept messages into 'err', one "; " apart, and forgets them. */
static void
take_errors(struct jqfilter *f, char *err, size_t errlen)
{
	size_t used = 0;
	int n = jv_array_length(jv_copy(f->errors));

	if (errlen > 0)
		err[0] = '\0';
	for (int i = 0; i < n && used + 1 < errlen; i++) {
		jv m = jv_array_get(jv_copy(f->errors), i);
		const char *s = jv_string_value(m);
		size_t len = strlen(s);
		int w;

		/* A message may span lines; keep them on one. */
		w = snprintf(err + used, errlen - used, "%s%.*s",
		    i ? "; " : "", (int)len, s);
		jv_free(m);
		if (w < 0)
			break;
		used += (size_t)w < errlen - used ? (size_t)w :
		                                    errlen - used - 1;
	}
	for (char *p = err; *p != '\0'; p++) {
		if (*p == '\n')
			*p = ' ';
	}
	jv_free(f->errors);
	f->errors = jv_array();
}

int
jqfilter_init(struct jqfilter *f, const char *program, jv args, char *err,
    size_t errlen)
{
	f->errors = jv_array();
	f->debug = NULL;
	f->debug_ctx = NULL;
	if ((f->jq = jq_init()) == NULL) {
		snprintf(err, errlen, "jq: out of memory");
		jv_free(args);
		jv_free(f->errors);
		f->errors = jv_null();
		return -1;
	}
	jq_set_error_cb(f->jq, on_error, f);
	jq_set_debug_cb(f->jq, on_debug, f);
	/* No module search path: a filter is self-contained. */
	jq_set_attr(f->jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	if (jv_get_kind(args) != JV_KIND_OBJECT) {
		jv_free(args);
		args = jv_object();
	}
	if (!jq_compile_args(f->jq, program, args)) {
		if (jv_array_length(jv_copy(f->errors)) == 0)
			f->errors = jv_array_append(f->errors,
			    jv_string("jq: the filter does not compile"));
		take_errors(f, err, errlen);
		jqfilter_release(f);
		return -1;
	}
	jv_free(f->errors);
	f->errors = jv_array();
	return 0;
}

void
jqfilter_set_debug(struct jqfilter *f, jqfilter_debug_fn *fn, void *ctx)
{
	f->debug = fn;
	f->debug_ctx = ctx;
}

void
jqfilter_start(struct jqfilter *f, jv input)
{
	jq_start(f->jq, input, 0);
}

/* The message of a runtime error as a string (consumes 'msg'). */
static jv
message(jv msg)
{
	if (jv_get_kind(msg) == JV_KIND_STRING)
		return msg;
	return jv_string_concat(jv_string("(not a string): "),
	    jv_dump_string(msg, 0));
}

jv
jqfilter_next(struct jqfilter *f)
{
	jv v = jq_next(f->jq);

	if (jv_is_valid(v))
		return v;
	if (jq_halted(f->jq)) {
		jv code = jq_get_exit_code(f->jq);
		jv msg = jq_get_error_message(f->jq);

		jv_free(v);
		/* halt, or halt_error with status 0: a quiet end. */
		if (!jv_is_valid(code) ||
		    (jv_get_kind(code) == JV_KIND_NUMBER &&
		        jv_number_value(code) == 0)) {
			jv_free(code);
			jv_free(msg);
			return jv_invalid();
		}
		jv_free(code);
		if (jv_get_kind(msg) == JV_KIND_STRING) {
			/* halt_error prints strings raw; drop one newline. */
			const char *s = jv_string_value(msg);
			int len = jv_string_length_bytes(jv_copy(msg));

			if (len > 0 && s[len - 1] == '\n') {
				jv t = jv_string_sized(s, len - 1);

				jv_free(msg);
				msg = t;
			}
		} else if (!jv_is_valid(msg)) {
			jv_free(msg);
			msg = jv_string("halted");
		}
		return jv_invalid_with_msg(
		    jv_string_concat(jv_string("halt_error: "), message(msg)));
	}
	if (jv_invalid_has_msg(jv_copy(v)))
		return jv_invalid_with_msg(message(jv_invalid_get_msg(v)));
	return v;
}

jv
jqfilter_all(struct jqfilter *f, jv input)
{
	jv out = jv_array(), v;

	jqfilter_start(f, input);
	for (;;) {
		v = jqfilter_next(f);
		if (jv_is_valid(v)) {
			out = jv_array_append(out, v);
			continue;
		}
		if (jv_invalid_has_msg(jv_copy(v))) {
			jv_free(out);
			return v;
		}
		jv_free(v);
		return out;
	}
}

void
jqfilter_release(struct jqfilter *f)
{
	if (f->jq != NULL)
		jq_teardown(&f->jq);
	f->jq = NULL;
	jv_free(f->errors);
	f->errors = jv_null();
}

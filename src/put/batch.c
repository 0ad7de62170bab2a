/* batch.c - input text turned into location records (see batch.h). */
#include "batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "strictjson.h"

void
batch_init(struct batch *b, const struct record_defaults *defs,
    struct jqfilter *jq, batch_reject_fn *reject, void *ctx)
{
	record_vec_init(&b->recs);
	b->invalid = 0;
	b->defs = defs;
	b->jq = jq;
	b->reject = reject;
	b->ctx = ctx;
	b->reading = 0;
}

void
batch_release(struct batch *b)
{
	batch_close(b);
	record_vec_release(&b->recs);
	b->invalid = 0;
}

static void
reject(struct batch *b, size_t line, const char *what, const char *msg)
{
	b->invalid++;
	b->reject(b->ctx, line, what, msg);
}

/* Rejects with the message of 'v', an invalid jv (consumed). */
static void
reject_invalid(struct batch *b, size_t line, const char *what, jv v)
{
	jv msg = jv_invalid_get_msg(v);

	reject(b, line, what,
	    jv_get_kind(msg) == JV_KIND_STRING ? jv_string_value(msg) :
	                                         "unknown error");
	jv_free(msg);
}

int
batch_add_value(struct batch *b, jv value, size_t line)
{
	size_t from = b->recs.n;
	int bad = record_parse(&b->recs, value, b->defs, line);

	if (bad == -1)
		return -1;
	for (size_t i = from; bad > 0 && i < b->recs.n; i++) {
		if (b->recs.v[i].error != NULL)
			reject(b, line, "", b->recs.v[i].error);
	}
	return 0;
}

int
batch_refuse(struct batch *b, size_t i, const char *msg)
{
	struct record *r = &b->recs.v[i];

	if ((r->error = strdup(msg)) == NULL)
		return -1;
	reject(b, r->line, "", msg);
	return 0;
}

/* Adds what the filter makes of one value (consumed). */
static int
add_filtered(struct batch *b, jv value, size_t line)
{
	jqfilter_start(b->jq, value);
	for (;;) {
		jv out = jqfilter_next(b->jq);

		if (jv_is_valid(out)) {
			if (batch_add_value(b, out, line) == -1)
				return -1;
			continue;
		}
		if (jv_invalid_has_msg(jv_copy(out)))
			reject_invalid(b, line, "jq: ", out);
		else
			jv_free(out);
		return 0;
	}
}

/*
 * Rejects a value whose text libjq read but JSON does not allow, or whose
 * numbers no double holds; returns 1 then, 0 for a good one, -1 (ENOMEM).
 */
static int
refuse_lax(struct batch *b, const struct jsonin *in, size_t line)
{
	char why[RECORD_ERR_MAX];
	const char *t;
	size_t n;

	jsonin_text(in, &t, &n);
	if (strictjson_check(t, n, why, sizeof(why)) == 0)
		return 0;
	if (errno == ENOMEM)
		return -1;
	reject(b, line, "", why);
	return 1;
}

int
batch_open(struct batch *b, const char *text, size_t len)
{
	if (jsonin_init(&b->in, text, len) == -1)
		return -1;
	b->reading = 1;
	return 0;
}

void
batch_close(struct batch *b)
{
	if (b->reading)
		jsonin_release(&b->in);
	b->reading = 0;
}

int
batch_next(struct batch *b)
{
	size_t line;
	int lax, rc;
	jv v;

	if (!b->reading)
		return 0;
	v = jsonin_next(&b->in, &line);
	if (!jv_is_valid(v)) {
		if (!jv_invalid_has_msg(jv_copy(v))) {
			jv_free(v);
			batch_close(b);
			return 0;
		}
		reject_invalid(b, line, "bad JSON: ", v);
		return 1;
	}
	if ((lax = refuse_lax(b, &b->in, line)) != 0) {
		jv_free(v);
		return lax == -1 ? -1 : 1;
	}
	rc = b->jq == NULL ? batch_add_value(b, v, line) :
	                     add_filtered(b, v, line);
	return rc == -1 ? -1 : 1;
}

int
batch_read(struct batch *b, const char *text, size_t len)
{
	int r;

	if (batch_open(b, text, len) == -1)
		return -1;
	while ((r = batch_next(b)) == 1)
		;
	batch_close(b);
	return r;
}

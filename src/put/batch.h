/*
 * batch.h - geoput's input text turned into location records.
 * Owns: splitting the text into values, refusing those that are not JSON
 * (RFC 8259, numbers finite as doubles) however lax libjq's parser is,
 * reshaping each through the jq filter, and the records and rejections
 * they make.  Pure: never prints.
 */
#ifndef GEOROOM_BATCH_H
#define GEOROOM_BATCH_H

#include <stddef.h>

#include <jv.h>

#include "jqfilter.h"
#include "jsonin.h"
#include "record.h"

/*
 * Told of each rejected value or record: its line, what kind of failure
 * ("", "bad JSON: ", "jq: ") and why.  The strings are borrowed.
 */
typedef void batch_reject_fn(void *ctx, size_t line, const char *what,
    const char *msg);

struct batch {
	struct record_vec recs; /* valid and invalid records, in input order */
	size_t invalid;         /* records and values rejected */
	const struct record_defaults *defs; /* borrowed */
	struct jqfilter *jq; /* borrowed; NULL: values are taken as they are */
	batch_reject_fn *reject;
	void *ctx;
	struct jsonin in; /* the text being read, between batch_open() and
	                     the end */
	int reading;
};

/* Sets up an empty batch; 'defs' and 'jq' (may be NULL) are borrowed. */
void batch_init(struct batch *b, const struct record_defaults *defs,
    struct jqfilter *jq, batch_reject_fn *reject, void *ctx);

/*
 * Turns one value (consumed) from line 'line' into records, not through
 * the filter.  Returns 0, or -1 when out of memory.
 */
int batch_add_value(struct batch *b, jv value, size_t line);

/*
 * Reads every value of 'len' bytes at 'text' (borrowed), each through the
 * filter when there is one.  Returns 0, or -1 when out of memory.
 */
int batch_read(struct batch *b, const char *text, size_t len);

/*
 * The same a value at a time, so that the records read so far can be
 * stored while the rest is parsed: batch_open() starts on 'text'
 * (borrowed until the end), each batch_next() reads one value into
 * records.  batch_next() returns 1 while values are left, 0 at the end,
 * -1 when out of memory.
 */
int batch_open(struct batch *b, const char *text, size_t len);
int batch_next(struct batch *b);

/* Stops reading the text (the records stay); harmless when not reading. */
void batch_close(struct batch *b);

/*
 * Makes the valid record 'i' invalid for 'msg' (borrowed), told as any
 * rejection.  Returns 0, or -1 when out of memory.
 */
int batch_refuse(struct batch *b, size_t i, const char *msg);

void batch_release(struct batch *b);

#endif

/*
 * promtext.h - Prometheus' text exposition format (version 0.0.4): a
 * metric family's # HELP and # TYPE lines, and its samples with labels.
 * Owns: the syntax alone: names checked, HELP text and label values
 * escaped, numbers written as Prometheus reads them.  Knows no metric:
 * which ones exist and what they count is the caller's.  Pure: it only
 * appends to a buffer.
 */
#ifndef GEOROOM_PROMTEXT_H
#define GEOROOM_PROMTEXT_H

#include <stddef.h>

#include "buf.h"

/* A label of a sample: its name (a valid label name) and its value, any
 * 'len' bytes (UTF-8 expected; escaped as the format asks). */
struct promtext_label {
	const char *name;
	const char *value;
	size_t len;
};

/* Whether 'name' is a valid metric name: [a-zA-Z_:][a-zA-Z0-9_:]*. */
int promtext_name_ok(const char *name);

/* Whether 'name' is a valid label name: [a-zA-Z_][a-zA-Z0-9_]*, not
 * starting with "__", which Prometheus keeps for itself. */
int promtext_label_name_ok(const char *name);

/*
 * Appends "# HELP name help" and "# TYPE name type" ('type' one of
 * "counter", "gauge", "untyped"; 'help' escaped).  Returns 0, or -1 with
 * errno EINVAL (a bad name or type) or that of buf_append().
 */
int promtext_family(struct buf *b, const char *name, const char *type,
    const char *help);

/*
 * Appends one sample line: 'name', the 'nlabels' labels in braces when
 * there are any, and 'value' (integers exactly up to 2^53, "+Inf",
 * "-Inf" and "NaN" as the format spells them).  Returns 0, or -1 with
 * errno EINVAL (a bad metric or label name) or that of buf_append().
 */
int promtext_sample(struct buf *b, const char *name,
    const struct promtext_label *labels, size_t nlabels, double value);

/*
 * Appends 'len' bytes of 's' escaped as a label value: backslash, double
 * quote and newline as \\, \" and \n.  Returns 0, or -1 as buf_append().
 */
int promtext_escape_label(struct buf *b, const char *s, size_t len);

#endif

/*
 * jqfilter.h - one jq program run over JSON values (libjq).
 * Owns: compiling a filter with its $named arguments, running it on one
 * input at a time and handing out the outputs, and turning libjq's compile
 * and runtime errors into messages.  Never prints: libjq's error reports
 * go to the caller's buffer, debug messages to an optional callback.
 * Knows nothing of the program that uses it.
 */
#ifndef GEOROOM_JQFILTER_H
#define GEOROOM_JQFILTER_H

#include <stddef.h>

#include <jq.h>
#include <jv.h>

/* Receives each value the filter passes to `debug` (consumed). */
typedef void jqfilter_debug_fn(void *ctx, jv msg);

struct jqfilter {
	jq_state *jq; /* owned */
	jv errors;    /* owned array of messages while compiling */
	jqfilter_debug_fn *debug;
	void *debug_ctx;
};

/*
 * Compiles 'program' (borrowed).  'args' (consumed) is an object whose
 * members become $name variables, or jv_null() for none.  Returns 0, or -1
 * with libjq's messages in 'err' (e.g. "jq: error: syntax error, ... at
 * <top-level>, line 1: ...; jq: 1 compile error"); 'f' need not be
 * released after a failure.
 */
int jqfilter_init(struct jqfilter *f, const char *program, jv args, char *err,
    size_t errlen);

/* Sends `debug` messages to 'fn' (NULL drops them, the default). */
void jqfilter_set_debug(struct jqfilter *f, jqfilter_debug_fn *fn, void *ctx);

/* Starts a run on 'input' (consumed), ending any run still going. */
void jqfilter_start(struct jqfilter *f, jv input);

/*
 * Returns the run's next output (owned).  When the outputs are over,
 * returns an invalid value without a message; on a runtime error
 * (including halt_error), an invalid value whose message is a string
 * saying what failed; either ends the run.
 */
jv jqfilter_next(struct jqfilter *f);

/*
 * Runs the filter on 'input' (consumed) and collects every output into an
 * array (owned), or returns the first runtime error as jqfilter_next()
 * does.
 */
jv jqfilter_all(struct jqfilter *f, jv input);

void jqfilter_release(struct jqfilter *f);

#endif

/*
 * output.h - the lines georoom-cli writes: -e, -d, --jq, -r, one per value.
 * Writes only to the stream it is given; never writes to standard error and
 * never exits: notes come back in the caller's buffer.
 */
#ifndef GEOROOM_OUTPUT_H
#define GEOROOM_OUTPUT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/uio.h>

#include <jv.h>

#include "jqfilter.h"
#include "sio.h"

struct output {
	FILE *fp;           /* borrowed */
	struct jqfilter jq; /* --jq, when have_jq */
	int have_jq;
	const char *const *events; /* -e names, borrowed */
	size_t nevents;            /* 0: every event */
	int raw;                   /* -r: strings without quotes */
	int data_only;             /* -d: only each event's data */
	int closed; /* a write failed: nothing more is written */
	int error;  /* its errno */
};

/* Sets up an output on 'fp' with no filter, -e, -r or -d. */
void output_init(struct output *o, FILE *fp);

/*
 * Runs each line through the jq program 'program' (borrowed).  Returns 0,
 * or -1 with libjq's messages in 'err'.
 */
int output_filter(struct output *o, const char *program, char *err,
    size_t errlen);

/* Frees the filter. */
void output_release(struct output *o);

/* True when the event named 'name' (consumed) passes -e. */
int output_event_wanted(const struct output *o, jv name);

/*
 * Writes the JSON text 'line' (consumed: a jv string, or an invalid value
 * whose message says why there is no line), through the filter when there
 * is one.  Returns how many lines were written, with a note in 'err' ("" when
 * none) about a line that could not be printed or the filter's error; or -1
 * with errno when writing failed, after which nothing more is written.
 */
int output_json(struct output *o, jv line, char *err, size_t errlen);

/*
 * Writes the line of an event received in namespace 'ns' (both borrowed,
 * with 'natt' attachments at 'att') when it passes -e.  As output_json().
 */
int output_event(struct output *o, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt, const char *ns, char *err,
    size_t errlen);

/* Writes the line of the ack 'pkt' of an event named 'event'. */
int output_ack(struct output *o, const char *event,
    const struct sio_packet *pkt, const struct iovec *att, unsigned natt,
    const char *ns, char *err, size_t errlen);

#endif

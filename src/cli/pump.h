/*
 * pump.h - what georoom-cli sends: its one message, or each line of -l.
 * Owns the message held until the sioclient's queue has room; never prints
 * (warnings go to its hook) and never exits.
 */
#ifndef GEOROOM_PUMP_H
#define GEOROOM_PUMP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jv.h>

#include "cmd.h"
#include "linein.h"
#include "sioclient.h"

struct pump {
	struct sioclient *sc;  /* borrowed */
	struct linein *in;     /* borrowed; NULL without -l */
	const struct cmd *cmd; /* borrowed: emit or chat */
	const char *user;      /* --user's JSON number, or NULL */
	int ack;               /* --ack */
	int raw;               /* -R: lines are strings */
	jv held;               /* a message waiting for room, or invalid */
	uint64_t next_tag;     /* the held message's: its line number */
	int in_done;           /* every message to send is queued */
	int stopped;           /* take no more lines */
	size_t acks_wanted;    /* messages sent whose ack is awaited */
	size_t bad_input;      /* lines or messages not sent */
	/* A warning for the user; a non-zero 'status' means the program
	 * cannot go on and should exit with it. */
	void (*warn)(void *arg, int status, const char *fmt, va_list ap);
	/* Every message is queued (see pump_idle()). */
	void (*on_done)(void *arg);
	void *arg;
};

/* Sets up a pump with nothing to send; the caller fills the hooks. */
void pump_init(struct pump *p);

void pump_release(struct pump *p);

/* Holds the command's one message 'msg' (taken), and nothing after it. */
void pump_hold(struct pump *p, jv msg);

/*
 * Queues the held message, if any.  Returns 0, or -1 when the queue is
 * full: wait for the sioclient's on_drain.
 */
int pump_send(struct pump *p);

/* linein's on_lines: turns lines into messages until the queue is full. */
void pump_lines(struct linein *in, void *arg);

/* One of the acks asked for came, or will not. */
void pump_acked(struct pump *p);

/* Everything is queued and every ack asked for came (or will not). */
int pump_idle(const struct pump *p);

/* Takes no more lines: the session ended. */
void pump_stop(struct pump *p);

#endif

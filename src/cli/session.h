/*
 * session.h - georoom-cli's session: the sioclient's callbacks, the joins,
 * what is printed and when the run ends with which status.  Never prints
 * (warnings go to its hook, notes to its log sink) and never exits.
 */
#ifndef GEOROOM_SESSION_H
#define GEOROOM_SESSION_H

#include <stdarg.h>
#include <stddef.h>

#include "cmd.h"
#include "linein.h"
#include "output.h"
#include "pump.h"
#include "sioclient.h"
#include "wsurl.h"

struct session_config {
	const struct cmd *cmd;     /* join, tail, emit or chat */
	const char *url;           /* -u as given, for warnings */
	const struct wsurl *wsurl; /* ... and parsed */
	const char *ns;
	const char *user; /* --user's JSON number, or NULL */
	long long count;  /* -C; 0: no limit */
	double timeout;   /* -W seconds, for the note */
	int ack, line, raw_in;
	size_t max_queue;   /* --max-queue: when -l reads again */
	struct output *out; /* borrowed */
	/* A warning for the user; a non-zero 'status' means the program
	 * cannot go on and should exit with it. */
	void (*warn)(void *arg, int status, const char *fmt, va_list ap);
	void *warn_arg;
	/* Notes (LOG_LEVEL_DEBUG), as the sioclient's cfg.log. */
	void (*log)(void *arg, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
	void *log_arg;
};

struct session {
	struct session_config cfg;
	struct sioclient sc;
	struct linein in; /* standard input, with -l */
	struct pump pump;
	unsigned long long events; /* events printed */
	size_t lost_acks;
	int done, status;
};

/*
 * Opens standard input for -l, with lines up to 'max_line' - 1 bytes.
 * Call it first, before anything could take fd 0's place.  0 or -1 with
 * errno.
 */
int session_open_input(struct session *s, size_t max_line);

/*
 * Sets up the session and its sioclient ('sc', copied, its log sink
 * included; its callbacks are the session's).  'cfg' is copied; what both
 * point to is borrowed.  Returns 0, or -1 with the reason in 'err'.
 */
int session_init(struct session *s, const struct session_config *cfg,
    const struct sioclient_config *sc, char *err, size_t errlen);

/*
 * Queues what the command sends from its words.  Returns 0, or -1 with
 * the reason in 'err' and errno E2BIG (too many words) or EINVAL (a word
 * is not JSON).
 */
int session_queue(struct session *s, char *err, size_t errlen);

/* Fills the two lws protocol entries: the connection's, standard input's. */
void session_protocols(struct session *s, struct lws_protocols *protos);

/*
 * Starts the connection and the sending on 'ctx' (borrowed), reading
 * standard input with -l.  0, or -1 with errno when it cannot be polled.
 */
int session_start(struct session *s, struct lws_context *ctx);

/* Ends the run with 'status', unless an end was chosen already. */
void session_finish(struct session *s, int status);

/* A signal came: a tail ends well, a send that was not done not. */
void session_interrupt(struct session *s);

/* -W: the time is up. */
void session_time_up(struct session *s);

/* Leaves politely; session_closed() says when that is done. */
void session_close(struct session *s);
int session_closed(const struct session *s);

/* Frees everything; the lws context must be destroyed first. */
void session_release(struct session *s);

#endif

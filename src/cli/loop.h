/*
 * loop.h - georoom-cli's loop: one lws context on the shared libuv loop
 * (evloop), SIGINT and SIGTERM, the -W timer, until the session is done.
 * Never prints (warnings go to its hook) and never exits.
 */
#ifndef GEOROOM_LOOP_H
#define GEOROOM_LOOP_H

#include <stdarg.h>

#include "session.h"

struct loop_config {
	int tls;            /* set up OpenSSL */
	const char *cacert; /* --cacert, or NULL */
	int lws_log_levels; /* libwebsockets' own lines, LLL_* */
	double timeout;     /* -W seconds; 0: none */
	/* As session_config's; libwebsockets' lines go there too. */
	void (*warn)(void *arg, int status, const char *fmt, va_list ap);
	void *warn_arg;
};

/*
 * Runs the session 's' (borrowed, set up and queued) until it is done,
 * then leaves politely, for 1.5 s at most, and destroys the context.
 * SIGINT and SIGTERM end the session.  Returns its exit status.
 */
int loop_run(struct session *s, const struct loop_config *cfg);

#endif

/*
 * log.h - a program's log lines on standard error.
 * Owns: the level threshold and the line format "prog: level: message",
 * after an RFC 3339 UTC timestamp when asked (for logs that do not go to
 * journald, which stamps lines itself).
 * Libraries never call log_line() directly: programs hand it to them as a
 * sink (the hub's cfg.log), so that modules never print; log_forward() is
 * how a library passes its messages to whatever sink it was given.
 */
#ifndef GEOROOM_LOG_H
#define GEOROOM_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

/* Levels, most severe first; the same numbers as enum hub_log_level. */
enum log_level {
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

struct log {
	const char *prog;
	int max;  /* lines above this level are dropped */
	int time; /* each line starts with its time: log_timestamp() */
};

/* Sets up 'log' without timestamps. */
void log_init(struct log *log, const char *prog, int max);

/* Maximum length of log_timestamp()'s text, its NUL included. */
#define LOG_TIMESTAMP_LEN 25

/*
 * Writes 'ts' (CLOCK_REALTIME) as RFC 3339 UTC with milliseconds,
 * "2026-12-07T09:28:01.123Z", into 'buf' of 'len' (LOG_TIMESTAMP_LEN)
 * bytes.  Returns 'buf'.
 */
char *log_timestamp(char *buf, size_t len, const struct timespec *ts);

/* Writes one line when 'level' <= log->max.  'arg' is a struct log *. */
void log_line(void *arg, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Formats one message (cut at 1023 bytes) and hands it to 'sink' as "%s"
 * with 'arg' and 'level'.  Does nothing, not even the formatting, when
 * 'sink' is NULL or 'level' is above 'max', the sink's own threshold as
 * the program told the module.  For a module's own printf-like logging
 * function, with its va_list.
 */
void log_forward(void (*sink)(void *, int, const char *, ...), void *arg,
    int max, int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/*
 * Writes the 'len' bytes at 's' (a name a peer chose, which may hold any
 * byte) into 'out', 'cap' > 4 bytes, NUL-terminated, for a log line: bytes
 * below 0x20, 0x7f and the backslash as \xHH, so that the line stays one
 * line and a NUL shows; cut with "..." when it does not fit.  Returns 'out'.
 */
const char *log_escape(char *out, size_t cap, const char *s, size_t len);

#endif

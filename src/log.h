/*
 * log.h - a program's log lines on standard error.
 * Owns: the level threshold and the line format "prog: level: message".
 * Libraries never call it directly: programs hand log_line() to them as a
 * sink (the hub's cfg.log), so that modules never print.
 */
#ifndef GEOROOM_LOG_H
#define GEOROOM_LOG_H

/* Levels, most severe first; the same numbers as enum hub_log_level. */
enum log_level {
	LOG_LEVEL_ERR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

struct log {
	const char *prog;
	int max;		/* lines above this level are dropped */
};

void log_init(struct log *log, const char *prog, int max);

/* Writes one line when 'level' <= log->max.  'arg' is a struct log *. */
void log_line(void *arg, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif

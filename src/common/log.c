/*
 * log.c - leveled log lines on standard error, and modules' messages
 * passed on to their sink.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const names[] = { "error", "warning", "info", "debug" };

void
log_init(struct log *log, const char *prog, int max)
{
	log->prog = prog;
	log->max = max;
}

void
log_line(void *arg, int level, const char *fmt, ...)
{
	const struct log *log = arg;
	char line[2048];
	va_list ap;

	if (level > log->max || level < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One write per line, so lines from a busy hub never interleave. */
	fprintf(stderr, "%s: %s: %s\n", log->prog,
	    names[level < 4 ? level : 3], line);
}

void
log_forward(void (*sink)(void *, int, const char *, ...), void *arg, int max,
    int level, const char *fmt, va_list ap)
{
	char line[1024];

	/* Most lines of a busy module are debug lines nobody asked for:
	 * dropping them here spares the formatting. */
	if (sink == NULL || level > max)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	sink(arg, level, "%s", line);
}

/*
 * log.c - leveled log lines on standard error, and modules' messages
 * passed on to their sink.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = { "error", "warning", "info", "debug" };

void
log_init(struct log *log, const char *prog, int max)
{
	log->prog = prog;
	log->max = max;
	log->time = 0;
}

char *
log_timestamp(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "?");
		return buf;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ts->tv_nsec / 1000000);
	return buf;
}

void
log_line(void *arg, int level, const char *fmt, ...)
{
	const struct log *log = arg;
	char line[2048], stamp[LOG_TIMESTAMP_LEN] = "";
	struct timespec ts;
	va_list ap;

	if (level > log->max || level < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log->time && clock_gettime(CLOCK_REALTIME, &ts) == 0)
		log_timestamp(stamp, sizeof(stamp), &ts);
	/* One write per line, so lines from a busy hub never interleave. */
	fprintf(stderr, "%s%s%s: %s: %s\n", stamp, stamp[0] ? " " : "",
	    log->prog, names[level < 4 ? level : 3], line);
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

/* How many bytes log_escape() writes for byte 'c'. */
static size_t
escaped_len(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '\\' ? 4 : 1;
}

const char *
log_escape(char *out, size_t cap, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0, total = 0, room;

	for (i = 0; i < len; i++)
		total += escaped_len((unsigned char)s[i]);
	/* All of it, or what fits before "..." and the NUL (cap > 4). */
	room = total < cap ? total : cap - 4;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (n + escaped_len(c) > room)
			break;
		if (escaped_len(c) == 1) {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	if (i < len) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

/*
 * errbuf.h - reasons written into a caller's buffer.
 * Owns: formatting a human message, or the path of the field it is about,
 * that may be cut to fit, without the truncation warnings a plain snprintf
 * of unknown-length strings draws.  Pure: no I/O.
 */
#ifndef GEOROOM_ERRBUF_H
#define GEOROOM_ERRBUF_H

#include <stddef.h>

/* vsnprintf into 'err'; a message too long for 'errlen' is cut. */
void errbuf_printf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* errbuf_printf(), then errno set to 'e'; returns -1, for a failure. */
int errbuf_fail(int e, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Field paths for messages, cut to fit: "prefix.name" (just "name" when
 * 'prefix' is empty) and "prefix[i]".
 */
void errbuf_member_path(char *buf, size_t len, const char *prefix,
    const char *name);
void errbuf_index_path(char *buf, size_t len, const char *prefix, int i);

#endif

/*
 * jsonin.h - a buffer of JSON text split into values, with line numbers.
 * Owns: reading NDJSON, concatenated JSON or one pretty-printed document,
 * telling the line each value starts on and where its text lies, and
 * starting again on the next line after an error.  Pure: no I/O; the
 * caller reads the bytes.
 *
 * Values are delimited by json.h's scanner and parsed by jsonv, strictly
 * by RFC 8259, not by libjq's parser, which takes nan, 01 and invalid
 * UTF-8 and leaks memory on some malformed input.
 */
#ifndef GEOROOM_JSONIN_H
#define GEOROOM_JSONIN_H

#include <stddef.h>

#include <jv.h>

struct jsonin {
	const char *buf; /* borrowed; must outlive the reader */
	size_t len;
	size_t pos;      /* the next byte to read */
	size_t line;     /* the line 'pos' is on (1-based) */
	size_t text;     /* where the value returned last lies */
	size_t text_len; /* and its length */
};

/* Sets up a reader of 'len' bytes at 'buf' (borrowed).  Returns 0. */
int jsonin_init(struct jsonin *in, const char *buf, size_t len);

/*
 * Returns the next value (owned) and its first line in *line.  On an
 * error, returns an invalid value whose message says what was wrong and
 * where in the value, as strictjson_check() words it ("lon: nan is not
 * JSON"; the line is in *line, not in the message), and goes on with the
 * line after the one the error is on.  At the end, returns an invalid
 * value without a message.  Numbers beyond a double's range are read as
 * infinite: strictjson_check() on the value's text refuses them by name.
 */
jv jsonin_next(struct jsonin *in, size_t *line);

/*
 * The text of the value jsonin_next() returned last (borrowed from the
 * buffer), from its first byte to its last.
 */
void jsonin_text(const struct jsonin *in, const char **text, size_t *len);

/* Releases nothing today; kept so that callers need not know. */
void jsonin_release(struct jsonin *in);

#endif

/*
 * jsonin.h - a buffer of JSON text split into values, with line numbers.
 * Owns: reading NDJSON, concatenated JSON or one pretty-printed document
 * with libjq's parser, telling the line each value starts on and where its
 * text lies, and starting again on the next line after a syntax error.
 * Pure: no I/O; the caller reads the bytes.
 */
#ifndef GEOROOM_JSONIN_H
#define GEOROOM_JSONIN_H

#include <stddef.h>

#include <jv.h>

struct jsonin {
	jv_parser *parser; /* owned */
	const char *buf;   /* borrowed; must outlive the reader */
	size_t len, pos;   /* pos: start of the next line to feed */
	size_t line;       /* number of the line fed last (1-based) */
	size_t line_end;   /* offset just past that line */
	size_t start;      /* line the value being read started on */
	size_t from;       /* offset where the value being read may start */
	size_t text;       /* where the value returned last lies */
	size_t text_len;   /* and its length */
	int in_value;      /* a value has started and not ended */
	int fed;           /* the parser holds unread bytes */
	int at_eof;        /* the end has been announced to the parser */
};

/* Sets up a reader of 'len' bytes at 'buf' (borrowed). */
int jsonin_init(struct jsonin *in, const char *buf, size_t len);

/*
 * Returns the next value (owned) and its first line in *line.  On a syntax
 * error, returns an invalid value whose message says what was wrong (the
 * line is in *line, not in the message) and goes on with the next line.
 * At the end, returns an invalid value without a message.
 */
jv jsonin_next(struct jsonin *in, size_t *line);

/*
 * The text of the value jsonin_next() returned last (borrowed from the
 * buffer): from the end of the one before it, white space included, to
 * its last byte.  libjq's parser is laxer than JSON (it reads nan, 01 and
 * invalid UTF-8), so a caller that wants JSON checks this text.
 */
void jsonin_text(const struct jsonin *in, const char **text, size_t *len);

void jsonin_release(struct jsonin *in);

#endif

/*
 * linebuf.h - input bytes cut into lines, in a buffer with a fixed cap.
 * Owns: one buffer the caller reads into, and handing out the complete
 * lines it holds, then the last unterminated one at the end of input.
 * Pure: no I/O; the caller reads and says how much it read.
 */
#ifndef GEOROOM_LINEBUF_H
#define GEOROOM_LINEBUF_H

#include <stddef.h>

struct linebuf {
	char *buf;     /* owned; 'cap' bytes */
	size_t cap;    /* the longest line, newline included */
	size_t start;  /* first byte not handed out */
	size_t len;    /* bytes held, from 0 */
	size_t lineno; /* number of the line handed out last */
	int eof;       /* no more input will come */
	int skipping;  /* dropping the rest of a line too long */
};

/* Sets up a buffer for lines of at most 'cap' - 1 bytes.  0 or -1. */
int linebuf_init(struct linebuf *lb, size_t cap);

void linebuf_release(struct linebuf *lb);

/*
 * Where the next read goes: returns the free room and sets *at.  Returns 0
 * when a line fills the whole buffer (see linebuf_next()).
 */
size_t linebuf_space(struct linebuf *lb, char **at);

/* Records that 'n' bytes were read into the space; 0 marks the end. */
void linebuf_commit(struct linebuf *lb, size_t n);

/*
 * Hands out the next line without its newline (nor a "\r" before it):
 * returns 1 and sets *line (valid until the next call) and *len; returns
 * 0 when no complete line is held; returns -1 when a line is longer than
 * the buffer holds (its start is then dropped, up to its end).
 */
int linebuf_next(struct linebuf *lb, const char **line, size_t *len);

/* True when input has ended and every line was handed out. */
int linebuf_done(const struct linebuf *lb);

#endif

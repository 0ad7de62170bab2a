/*
 * linein.h - standard input, line by line, inside a libwebsockets loop.
 * Owns: a duplicate of fd 0 adopted as a raw file (so that lws polls it
 * with everything else, no thread; an input the loop cannot watch, such as
 * a regular file, is read from a timer), read when readable into a capped line
 * buffer; handing the lines to the caller; pausing (not polling) while the
 * caller has no room for more, and resuming.  Restores fd 0's file status
 * flags, which lws makes non-blocking.  Never prints.
 */
#ifndef GEOROOM_LINEIN_H
#define GEOROOM_LINEIN_H

#include <stddef.h>

#include <libwebsockets.h>

#include "linebuf.h"

struct linein {
	struct linebuf lb;
	struct lws_context *ctx; /* borrowed */
	struct lws_vhost *vh;    /* borrowed */
	struct lws *wsi; /* the adopted duplicate; NULL when not polled */
	lws_sorted_usec_list_t sul; /* reads an input the loop cannot watch */
	int unpolled;               /* fd 0 is such an input */
	int reading;                /* ... and 'sul' is scheduled */
	int flags;                  /* fd 0's file status flags, as found */
	int paused;
	int read_error; /* errno of a failed read, ending the input */
	/* Lines may be waiting: take them with linein_next().  Called from
	 * the loop; may call linein_pause(). */
	void (*on_lines)(struct linein *in, void *arg);
	void *arg;
};

/*
 * Sets up a reader of lines up to 'max_line' - 1 bytes.  Fails (-1 with
 * errno) when fd 0 is not open: call it before anything else could take
 * fd 0's place.
 */
int linein_init(struct linein *in, size_t max_line,
    void (*on_lines)(struct linein *, void *), void *arg);

/* Restores fd 0's flags and frees the buffer; the lws context must be
 * destroyed first. */
void linein_release(struct linein *in);

/* Fills the lws protocol entry of the reader ("georoom-linein"). */
void linein_protocol(struct linein *in, struct lws_protocols *proto);

/*
 * Starts polling standard input on the default vhost of 'ctx' (borrowed),
 * or, when the loop cannot watch it (a regular file, /dev/null), reading
 * it a buffer a turn.  0 or -1 with errno.
 */
int linein_start(struct linein *in, struct lws_context *ctx);

/* Stops reading an input that is not polled; call it before the lws
 * context is destroyed. */
void linein_stop(struct linein *in);

/*
 * The next line, without its newline: 1 with *line (valid until the next
 * call) and *len set; 0 when none is complete yet; -1 for a line longer
 * than the cap, which is dropped (its number is in in->lb.lineno).
 */
int linein_next(struct linein *in, const char **line, size_t *len);

/* Stops reading until linein_resume(): the caller has no room. */
void linein_pause(struct linein *in);

/* Reads again.  0, or -1 with errno when fd 0 cannot be polled again. */
int linein_resume(struct linein *in);

/* True once the input has ended and every line was taken. */
int linein_done(const struct linein *in);

#endif

/*
 * input.h - the text geoput reads: a file, standard input or a feed.
 * Owns: reading all of it up to a size cap, and the class of a failure.
 * Never prints and never decides an exit status.
 */
#ifndef GEOROOM_INPUT_H
#define GEOROOM_INPUT_H

#include <stddef.h>

/* How reading ended, as a class a program can map to an exit status. */
enum input_status {
	INPUT_OK,
	INPUT_BADURL,      /* the feed URL is not one libcurl can use */
	INPUT_NOTFOUND,    /* no such file, a read error; feed 404, 410 */
	INPUT_DENIED,      /* file permissions; feed 401, 403, 407 */
	INPUT_TOOBIG,      /* larger than max_size */
	INPUT_TEMPORARY,   /* the feed timed out or kept failing */
	INPUT_UNAVAILABLE, /* the feed unreachable, or another status */
};

struct input_opts {
	const char *url;  /* borrowed; the feed, or NULL */
	const char *file; /* borrowed; NULL or "-": standard input */
	size_t max_size;  /* largest input accepted */
	long connect_timeout_ms, max_time_ms; /* per feed attempt */
	int retries;                          /* further feed attempts */
	const char *user_agent;               /* borrowed */
};

struct input {
	char *text; /* owned, NUL-terminated */
	size_t len;
	char source[512]; /* "<stdin>", the file name, the URL redacted */
};

/*
 * Reads the whole input.  Returns 0, or -1 with the class in *st and the
 * reason, naming in->source, in 'err'.  'in' is released with
 * input_release() either way.  A feed needs curl_global_init() first.
 */
int input_read(struct input *in, const struct input_opts *o,
    enum input_status *st, char *err, size_t errlen);

void input_release(struct input *in);

#endif

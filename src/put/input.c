/* input.c - the text geoput reads (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "feed.h"

/* Reads all of 'fd' up to 'max' bytes.  Returns 0, or -1 (errno). */
static int
slurp(int fd, size_t max, char **out, size_t *outlen)
{
	struct buf b;
	ssize_t n;
	int e;

	/* One byte more than 'max' tells a file of 'max' bytes from longer. */
	buf_init(&b, max < SIZE_MAX - 1 ? max + 1 : max);
	for (;;) {
		size_t want = b.max - b.len, room;
		char *at;

		if (want == 0)
			goto toobig;
		if (buf_reserve(&b, want < 65536 ? want : 65536) == -1)
			goto fail;
		at = buf_space(&b, &room);
		n = read(fd, at, room);
		if (n == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		buf_commit(&b, (size_t)n);
		if (b.len > max)
			goto toobig;
	}
	if ((*out = buf_detach(&b, outlen)) == NULL)
		goto fail;
	return 0;
toobig:
	errno = EFBIG;
fail:
	e = errno;
	buf_release(&b);
	errno = e;
	return -1;
}

static enum input_status
feed_class(enum feed_status st)
{
	switch (st) {
	case FEED_OK:
		return INPUT_OK;
	case FEED_BADURL:
		return INPUT_BADURL;
	case FEED_NOTFOUND:
		return INPUT_NOTFOUND;
	case FEED_DENIED:
		return INPUT_DENIED;
	case FEED_TEMPORARY:
		return INPUT_TEMPORARY;
	case FEED_TOOBIG:
		return INPUT_TOOBIG;
	default:
		return INPUT_UNAVAILABLE;
	}
}

static int
read_feed(struct input *in, const struct input_opts *o, enum input_status *st,
    char *err, size_t errlen)
{
	struct feed_opts fo;
	struct feed_result res;
	enum feed_status fst;
	char why[CURL_ERROR_SIZE + 64];

	feed_opts_init(&fo);
	fo.connect_timeout_ms = o->connect_timeout_ms;
	fo.max_time_ms = o->max_time_ms;
	fo.retries = o->retries;
	fo.max_size = o->max_size;
	fo.user_agent = o->user_agent;
	feed_redact(o->url, in->source, sizeof(in->source));
	if (feed_fetch(o->url, &fo, &res, &fst, why, sizeof(why)) == -1) {
		*st = feed_class(fst);
		snprintf(err, errlen, "fetching %s: %s", in->source, why);
		return -1;
	}
	in->text = res.body;
	in->len = res.len;
	return 0;
}

int
input_read(struct input *in, const struct input_opts *o, enum input_status *st,
    char *err, size_t errlen)
{
	int fd = STDIN_FILENO, r;

	in->text = NULL;
	in->len = 0;
	*st = INPUT_OK;
	if (o->url != NULL)
		return read_feed(in, o, st, err, errlen);
	if (o->file != NULL && strcmp(o->file, "-") != 0) {
		snprintf(in->source, sizeof(in->source), "%s", o->file);
		if ((fd = open(o->file, O_RDONLY | O_CLOEXEC)) == -1) {
			*st = errno == EACCES ? INPUT_DENIED : INPUT_NOTFOUND;
			snprintf(err, errlen, "%s: %s", o->file,
			    strerror(errno));
			return -1;
		}
	} else {
		snprintf(in->source, sizeof(in->source), "<stdin>");
	}
	r = slurp(fd, o->max_size, &in->text, &in->len);
	if (fd != STDIN_FILENO)
		close(fd);
	if (r == 0)
		return 0;
	if (errno == EFBIG) {
		*st = INPUT_TOOBIG;
		snprintf(err, errlen, "%s: larger than %zu bytes", in->source,
		    o->max_size);
	} else {
		*st = INPUT_NOTFOUND;
		snprintf(err, errlen, "reading %s: %s", in->source,
		    strerror(errno));
	}
	return -1;
}

void
input_release(struct input *in)
{
	free(in->text);
	in->text = NULL;
	in->len = 0;
}

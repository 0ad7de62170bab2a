/* input.c - the text geoput reads (see input.h). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "feed.h"

/* Reads all of 'fd' up to 'max' bytes.  Returns 0, or -1 (errno). */
static int
slurp(int fd, size_t max, char **out, size_t *outlen)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1), *p;
	ssize_t n;

	if (buf == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap > max)
				goto toobig;
			cap *= 2;
			if ((p = realloc(buf, cap + 1)) == NULL)
				goto fail;
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		len += (size_t)n;
		if (len > max)
			goto toobig;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
toobig:
	errno = EFBIG;
fail:
	n = errno;
	free(buf);
	errno = (int)n;
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

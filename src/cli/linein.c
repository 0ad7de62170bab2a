/* linein.c - standard input, line by line, inside a libwebsockets loop. */
#include "linein.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "evloop.h"

int
linein_init(struct linein *in, size_t max_line,
    void (*on_lines)(struct linein *, void *), void *arg)
{
	in->ctx = NULL;
	in->vh = NULL;
	in->wsi = NULL;
	memset(&in->sul, 0, sizeof(in->sul));
	in->unpolled = 0;
	in->reading = 0;
	in->paused = 0;
	in->read_error = 0;
	in->on_lines = on_lines;
	in->arg = arg;
	if ((in->flags = fcntl(STDIN_FILENO, F_GETFL)) == -1)
		return -1;
	if (linebuf_init(&in->lb, max_line) == -1) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
linein_release(struct linein *in)
{
	/* The file description is shared with whoever started us. */
	if (in->flags != -1)
		fcntl(STDIN_FILENO, F_SETFL, in->flags);
	linebuf_release(&in->lb);
	in->wsi = NULL;
}

static void
lines_waiting(struct linein *in)
{
	if (in->on_lines != NULL)
		in->on_lines(in, in->arg);
}

/* Reads what 'fd' has into the buffer and hands the lines on.  1 when
 * reading should stop: at the end, or told to wait. */
static int
read_some(struct linein *in, int fd)
{
	char *at;
	size_t room;
	ssize_t n;

	room = linebuf_space(&in->lb, &at);
	n = read(fd, at, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == -1) {
		in->read_error = errno;
		n = 0;
	}
	linebuf_commit(&in->lb, (size_t)n);
	lines_waiting(in);
	return n == 0 || in->paused;
}

/* An input the loop cannot watch (a regular file, /dev/null) is always
 * ready: read it a buffer a turn of the loop, from a timer. */
static void
read_unpolled(lws_sorted_usec_list_t *sul)
{
	struct linein *in = lws_container_of(sul, struct linein, sul);

	in->reading = 0;
	if (read_some(in, STDIN_FILENO) == 0) {
		in->reading = 1;
		lws_sul_schedule(in->ctx, 0, &in->sul, read_unpolled, 0);
	}
}

static int
linein_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *data, size_t len)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);
	struct linein *in;

	(void)user;
	(void)data;
	(void)len;
	if (proto == NULL || proto->callback != linein_callback)
		return 0;
	in = proto->user;
	if (in == NULL || wsi != in->wsi)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		/* At the end, or told to wait: stop polling. */
		if (read_some(in, lws_get_socket_fd(wsi))) {
			in->wsi = NULL;
			return -1;
		}
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		/* Hung up with nothing left to read: the end of the input. */
		in->wsi = NULL;
		if (!in->lb.eof) {
			linebuf_commit(&in->lb, 0);
			lines_waiting(in);
		}
		return 0;
	default:
		return 0;
	}
}

void
linein_protocol(struct linein *in, struct lws_protocols *proto)
{
	memset(proto, 0, sizeof(*proto));
	proto->name = "georoom-linein";
	proto->callback = linein_callback;
	proto->user = in;
}

/* Polls a duplicate of fd 0, which lws closes when done with it. */
static int
adopt(struct linein *in)
{
	lws_sock_file_fd_type fd;
	int e;

	if (in->unpolled) {
		in->reading = 1;
		lws_sul_schedule(in->ctx, 0, &in->sul, read_unpolled, 0);
		return 0;
	}
	if ((fd.filefd = dup(STDIN_FILENO)) == -1)
		return -1;
	in->wsi = lws_adopt_descriptor_vhost(in->vh, LWS_ADOPT_RAW_FILE_DESC,
	    fd, "georoom-linein", NULL);
	if (in->wsi == NULL) {
		e = errno;
		close(fd.filefd);
		errno = e ? e : ENOMEM;
		return -1;
	}
	return 0;
}

int
linein_start(struct linein *in, struct lws_context *ctx)
{
	in->ctx = ctx;
	in->vh = lws_get_vhost_by_name(ctx, "default");
	in->unpolled = !evloop_can_poll(STDIN_FILENO);
	return adopt(in);
}

void
linein_stop(struct linein *in)
{
	if (in->reading)
		lws_sul_cancel(&in->sul);
	in->reading = 0;
}

int
linein_next(struct linein *in, const char **line, size_t *len)
{
	return linebuf_next(&in->lb, line, len);
}

void
linein_pause(struct linein *in)
{
	/* The callback that is reading drops the wsi when it returns. */
	in->paused = 1;
}

int
linein_resume(struct linein *in)
{
	if (!in->paused)
		return 0;
	in->paused = 0;
	lines_waiting(in);
	if (in->paused || in->lb.eof || in->wsi != NULL || in->reading)
		return 0;
	return adopt(in);
}

int
linein_done(const struct linein *in)
{
	return linebuf_done(&in->lb);
}

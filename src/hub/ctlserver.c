/*
 * ctlserver.c - the control socket: its file, producers' connections and
 * their buffers; each request line goes to ctlreq.c to be carried out.
 */
#include "ctlserver.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "ctl.h"
#include "ctlreq.h"
#include "mono.h"

/* Replies pending past this stop reading a producer until it catches up. */
#define OUT_HIGH (4 * 1024 * 1024)
#define OUT_LOW (256 * 1024)

/* Bytes read from a producer at a time. */
#define READ_CHUNK 16384

/*
 * Unprocessed request bytes: a partial line is never left longer than
 * CTL_LINE_MAX, so one read more is the most the buffer holds.
 */
#define IN_MAX (CTL_LINE_MAX + READ_CHUNK)

/*
 * Replies not yet written: reading pauses past OUT_HIGH, so this is
 * reached only by one reply of tens of megabytes (a room listing of
 * several hundred thousand sockets); the connection is then closed, as it
 * was when memory ran out.
 */
#define OUT_MAX (64 * 1024 * 1024)

/* lws's per-session data for control connections. */
struct ctl_conn {
	struct buf in;   /* owned; unprocessed request bytes */
	struct buf out;  /* owned; replies not yet written */
	int producer;    /* 0 on the listening descriptor */
	int paused;      /* reading stopped: replies pile up */
	int eof;         /* the producer shut down its side */
	int close_after; /* close once the replies are out */
	/* A reply waits for the other nodes of the cluster: the lines
	 * after it wait too, unread, so that replies keep their order. */
	struct ctlreq_wait *wait;
	int resume; /* lines wait to be handled after a late reply */
	struct lws *wsi;
	lws_sorted_usec_list_t rearm; /* see conn_write() */
};

void
ctlserver_init(struct ctlserver *cs, struct hub *hub)
{
	memset(cs, 0, sizeof(*cs));
	cs->hub = hub;
	cs->listen_fd = -1;
}

static int
fail(char *err, size_t errlen, int e, const char *fmt, const char *path)
{
	snprintf(err, errlen, fmt, path, strerror(e));
	errno = e;
	return -1;
}

/*
 * How long the probe of an existing socket file waits for a listener whose
 * queue is full to take a connection, and how often it tries meanwhile.
 */
#define PROBE_MAX_MS 1000
#define PROBE_RETRY_MS 20

/*
 * Probes the socket at 'sun' without blocking: 0 when it is stale (nothing
 * listens: the kernel refuses), 1 when a process answers, -1 with errno
 * when neither is certain (no permission): then it must not be replaced.
 * A listener whose queue is full (EAGAIN: one that is stopped, or hung)
 * is tried again until PROBE_MAX_MS have passed; then -1 with errno
 * EAGAIN.  A blocking connect() would wait for it for ever.
 */
static int
socket_is_live(const struct sockaddr_un *sun)
{
	int64_t deadline = mono_ms() + PROBE_MAX_MS;
	int fd, rc, e;

	for (;;) {
		fd = socket(AF_UNIX,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1)
			return -1;
		rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
		e = errno;
		close(fd);
		if (rc == 0)
			return 1;
		if (e == ECONNREFUSED || e == ENOENT)
			return 0;
		if (e != EAGAIN || mono_ms() >= deadline)
			break;
		(void)poll(NULL, 0, PROBE_RETRY_MS);
	}
	errno = e;
	return -1;
}

int
ctlserver_listen(struct ctlserver *cs, const char *path, mode_t mode,
    gid_t gid, mode_t dir_mode, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct stat st;
	char dir[sizeof(sun.sun_path)];
	mode_t old;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen,
		    "control socket path too long (%zu "
		    "bytes, at most %zu): %s",
		    strlen(path), sizeof(sun.sun_path) - 1, path);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	memcpy(dir, path, strlen(path) + 1);
	if (stat(dirname(dir), &st) == -1) {
		if (errno != ENOENT || mkdir(dir, dir_mode) == -1)
			return fail(err, errlen, errno,
			    "cannot create the directory of '%s': %s", path);
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return fail(err, errlen, EEXIST,
			    "'%s' exists and is not a socket: %s", path);
		switch (socket_is_live(&sun)) {
		case 1:
			snprintf(err, errlen,
			    "another hub is listening on '%s'", path);
			errno = EADDRINUSE;
			return -1;
		case -1:
			if (errno == EAGAIN) {
				snprintf(err, errlen,
				    "'%s' is in use: a process listens there "
				    "but has accepted no connection for %d ms "
				    "(another hub, stopped or hung?)",
				    path, PROBE_MAX_MS);
				errno = EADDRINUSE;
				return -1;
			}
			return fail(err, errlen, errno,
			    "cannot tell whether '%s' is in use: %s", path);
		default:
			break;
		}
		/* A stale socket left by a hub that died. */
		if (unlink(path) == -1)
			return fail(err, errlen, errno,
			    "cannot remove stale socket '%s': %s", path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return fail(err, errlen, errno, "socket for '%s': %s", path);
	/* The file is born with its final mode: no window where others may
	 * connect. */
	old = umask(~mode & 0777);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int e = errno;

		umask(old);
		close(fd);
		return fail(err, errlen, e, "cannot bind '%s': %s", path);
	}
	umask(old);
	if (chmod(path, mode) == -1 ||
	    (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) == -1) ||
	    listen(fd, 128) == -1 || stat(path, &st) == -1) {
		int e = errno;

		close(fd);
		unlink(path);
		return fail(err, errlen, e, "cannot set up '%s': %s", path);
	}
	cs->dev = st.st_dev;
	cs->ino = st.st_ino;
	cs->listen_fd = fd;
	snprintf(cs->path, sizeof(cs->path), "%s", path);
	return 0;
}

void
ctlserver_release(struct ctlserver *cs)
{
	struct stat st;

	if (cs->path[0] != '\0' && stat(cs->path, &st) == 0 &&
	    st.st_dev == cs->dev && st.st_ino == cs->ino)
		unlink(cs->path);
	/* Once adopted, lws owns the descriptor and closes it itself. */
	if (cs->listen_fd != -1 && cs->listen_wsi == NULL)
		close(cs->listen_fd);
	cs->listen_fd = -1;
	cs->path[0] = '\0';
}

int
ctlserver_start(struct ctlserver *cs, struct lws_vhost *vh)
{
	lws_sock_file_fd_type fd;

	fd.filefd = cs->listen_fd;
	cs->listen_wsi = lws_adopt_descriptor_vhost(vh,
	    LWS_ADOPT_RAW_FILE_DESC, fd, "georoom-control", NULL);
	return cs->listen_wsi ? 0 : -1;
}

/* Connections ----------------------------------------------------------- */

static int
queue_reply(struct ctl_conn *cc, struct lws *wsi, jv line)
{
	int rc = buf_append(&cc->out, jv_string_value(line),
	    (size_t)jv_string_length_bytes(jv_copy(line)));

	jv_free(line);
	lws_callback_on_writable(wsi);
	return rc;
}

/*
 * Answers a line longer than CTL_LINE_MAX, complete or not, with an error
 * and closes the connection after it: what follows would be read as the
 * rest of that line.
 */
static int
refuse_long_line(struct ctl_conn *cc, struct lws *wsi)
{
	char msg[80];

	snprintf(msg, sizeof(msg), "request line longer than %d bytes",
	    CTL_LINE_MAX);
	buf_reset(&cc->in);
	cc->close_after = 1;
	lws_rx_flow_control(wsi, 0);
	return queue_reply(cc, wsi, ctl_reply_error(msg, jv_invalid()));
}

static void on_later_reply(void *ctx, jv line);

/* Handles the complete lines buffered, unless paused by a reader lagging
 * or waiting for a reply. */
static int
process_lines(struct ctlserver *cs, struct ctl_conn *cc, struct lws *wsi)
{
	struct ctlreq_later later = { on_later_reply, cc };
	char *nl;
	jv reply;

	while (!cc->paused && cc->wait == NULL && cc->in.len > 0 &&
	    (nl = memchr(cc->in.data, '\n', cc->in.len)) != NULL) {
		size_t len = (size_t)(nl - cc->in.data);

		if (len > 0 && cc->in.data[len - 1] == '\r')
			len--;
		/* One read may complete a line past the limit. */
		if (len > CTL_LINE_MAX)
			return refuse_long_line(cc, wsi);
		if (len > 0) {
			cs->counters.requests++;
			reply = ctlreq_handle(cs->hub, &cs->counters,
			    cc->in.data, len, &later, &cc->wait);
			if (cc->wait != NULL) {
				/* Nothing more is read until it comes. */
				lws_rx_flow_control(wsi, 0);
			} else if (queue_reply(cc, wsi, reply) == -1)
				return -1;
		}
		buf_consume(&cc->in, (size_t)(nl - cc->in.data) + 1);
		if (cc->out.len > OUT_HIGH) {
			cc->paused = 1;
			lws_rx_flow_control(wsi, 0);
		}
	}
	/* Unless paused or waiting, what is left is one line without its
	 * end. */
	if (!cc->paused && cc->wait == NULL && cc->in.len > CTL_LINE_MAX)
		return refuse_long_line(cc, wsi);
	return 0;
}

/* The reply a request waited for: queued, and the lines after it read. */
static void
on_later_reply(void *ctx, jv line)
{
	struct ctl_conn *cc = ctx;

	cc->wait = NULL;
	if (queue_reply(cc, cc->wsi, line) == -1) {
		/* Out of memory for the reply: the producer would wait
		 * forever for it, so its connection goes. */
		cc->close_after = 1;
		buf_reset(&cc->in);
	}
	if (!cc->paused && !cc->eof && !cc->close_after)
		lws_rx_flow_control(cc->wsi, 1);
	/* The lines buffered meanwhile are handled from the writable
	 * callback, not from within the cluster's. */
	cc->resume = 1;
	lws_callback_on_writable(cc->wsi);
}

static int
accept_all(struct ctlserver *cs, struct lws *wsi)
{
	lws_sock_file_fd_type fd;
	int cfd;

	while ((cfd = accept4(cs->listen_fd, NULL, NULL,
	            SOCK_NONBLOCK | SOCK_CLOEXEC)) != -1) {
		/*
		 * Adopted as a plain descriptor, so that reading and the end
		 * of input are ours: a producer that sends its requests and
		 * shuts down its side (socat, nc -N) still gets every reply.
		 */
		fd.filefd = cfd;
		if (lws_adopt_descriptor_vhost(lws_get_vhost(wsi),
		        LWS_ADOPT_RAW_FILE_DESC, fd, "georoom-control",
		        wsi) == NULL)
			close(cfd); /* lws logged why; the producer retries */
	}
	return 0;
}

/* Reads what the producer sent; returns -1 to close the connection. */
static int
conn_read(struct ctlserver *cs, struct ctl_conn *cc, struct lws *wsi)
{
	char buf[READ_CHUNK];
	ssize_t n;

	if (cc->close_after)
		return 0;
	n = read(lws_get_socket_fd(wsi), buf, sizeof(buf));
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0) {
		/* Half-closed: answer what is buffered, then close. */
		cc->eof = 1;
		lws_rx_flow_control(wsi, 0);
		if (cc->in.len > 0 && buf_append(&cc->in, "\n", 1) == -1)
			return -1;
		cc->close_after = 1;
		lws_callback_on_writable(wsi);
		return process_lines(cs, cc, wsi);
	}
	if (buf_append(&cc->in, buf, (size_t)n) == -1)
		return -1;
	return process_lines(cs, cc, wsi);
}

/* Asks for another writable callback from outside the current one. */
static void
rearm_writable(lws_sorted_usec_list_t *sul)
{
	struct ctl_conn *cc = lws_container_of(sul, struct ctl_conn, rearm);

	lws_callback_on_writable(cc->wsi);
}

/* Writes pending replies; returns -1 to close the connection. */
static int
conn_write(struct ctlserver *cs, struct ctl_conn *cc, struct lws *wsi)
{
	ssize_t w;

	for (;;) {
		while (cc->out.len > 0) {
			w = write(lws_get_socket_fd(wsi), cc->out.data,
			    cc->out.len);
			if (w == -1 && errno == EINTR)
				continue;
			if (w == -1 && errno == EAGAIN)
				break;
			if (w <= 0)
				return -1;
			buf_consume(&cc->out, (size_t)w);
		}
		if (cc->resume && !cc->paused) {
			cc->resume = 0;
			if (process_lines(cs, cc, wsi) == -1)
				return -1;
			continue;
		}
		if (!cc->paused || cc->out.len >= OUT_LOW)
			break;
		/* The producer caught up: read and answer again. */
		cc->paused = 0;
		if (!cc->eof && !cc->close_after)
			lws_rx_flow_control(wsi, 1);
		if (process_lines(cs, cc, wsi) == -1)
			return -1;
	}
	if (cc->out.len > 0) {
		/*
		 * lws 4.1 clears POLLOUT on a plain descriptor after this
		 * callback returns, so a request made here would be lost:
		 * make it from a timer that fires right after.
		 */
		lws_sul_schedule(lws_get_context(wsi), 0, &cc->rearm,
		    rearm_writable, 0);
		return 0;
	}
	return cc->close_after && !cc->paused && cc->wait == NULL ? -1 : 0;
}

static int
ctl_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);
	struct ctlserver *cs = proto ? proto->user : NULL;
	struct ctl_conn *cc = user;

	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_ADOPT_FILE:
		if (wsi == cs->listen_wsi || cs->listen_wsi == NULL)
			return 0;
		memset(cc, 0, sizeof(*cc));
		buf_init(&cc->in, IN_MAX);
		buf_init(&cc->out, OUT_MAX);
		cc->producer = 1;
		cc->wsi = wsi;
		cs->counters.connections++;
		cs->counters.connections_total++;
		return 0;
	case LWS_CALLBACK_RAW_RX_FILE:
		if (!cc->producer)
			return accept_all(cs, wsi);
		return conn_read(cs, cc, wsi);
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (!cc->producer)
			return 0;
		return conn_write(cs, cc, wsi);
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!cc->producer)
			return 0;
		lws_sul_cancel(&cc->rearm);
		if (cc->wait != NULL)
			ctlreq_cancel(cc->wait);
		buf_release(&cc->in);
		buf_release(&cc->out);
		memset(cc, 0, sizeof(*cc));
		cs->counters.connections--;
		return 0;
	default:
		break;
	}
	return 0;
}

void
ctlserver_protocol(struct ctlserver *cs, struct lws_protocols *proto)
{
	memset(proto, 0, sizeof(*proto));
	proto->name = "georoom-control";
	proto->callback = ctl_callback;
	proto->per_session_data_size = sizeof(struct ctl_conn);
	proto->user = cs;
}

/* producer.c - sends a run's messages and checks every answer. */
#include "producer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "mono.h"
#include "sio.h"

#define READ_BUF (256 * 1024)
/* Longest reply line the control socket may send us. */
#define REPLY_MAX (64 * 1024)

static const char emit_head[] = "{\"op\":\"emit\",\"room\":\"";
static const char emit_mid[] = "\",\"event\":\"chat\",\"data\":";
static const char chat_head[] = "[\"chat\",";

#define LIT(s) (sizeof(s) - 1)

static void note(struct producer *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct producer *p, const char *fmt, ...)
{
	va_list ap;

	if (p->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

static int
broken(struct producer *p, const char *what, int err)
{
	p->broken = 1;
	note(p, "%s%s%s", what, err ? ": " : "", err ? strerror(err) : "");
	return -1;
}

/* The Socket.IO client's side ----------------------------------------- */

/* An ack must be 3<seq>[M], M being message 'seq' exactly as sent. */
static void
on_ack(struct producer *p, const char *pkt, size_t len)
{
	uint64_t id = 0;
	size_t i = 1;
	long n;

	while (
	    i < len && pkt[i] >= '0' && pkt[i] <= '9' && id < UINT64_MAX / 10)
		id = id * 10 + (uint64_t)(pkt[i++] - '0');
	if (i == 1 || id != p->confirmed || id >= p->sent)
		goto bad;
	n = payload_format(p->cfg->payload, p->text, p->text_cap, id,
	    p->due[id]);
	if (n < 0 || len - i != (size_t)n + 2 || pkt[i] != '[' ||
	    memcmp(pkt + i + 1, p->text, (size_t)n) != 0 ||
	    pkt[len - 1] != ']')
		goto bad;
	p->confirmed++;
	return;
bad:
	p->bad++;
	note(p, "unexpected ack %.*s", (int)(len > 80 ? 80 : len), pkt);
}

static void
on_packet(struct client *c, const char *pkt, size_t len, void *arg)
{
	struct producer *p = arg;

	(void)c;
	if (len > 0 && pkt[0] == '0' + SIO_ACK) {
		on_ack(p, pkt, len);
		return;
	}
	p->bad++;
	note(p, "unexpected packet %.*s", (int)(len > 80 ? 80 : len), pkt);
}

static void
on_closed(struct client *c, const char *why, int err, void *arg)
{
	(void)c;
	broken(arg, why, err);
}

static const struct client_ops ops = {
	.on_packet = on_packet,
	.on_closed = on_closed,
};

/* The control socket's side -------------------------------------------- */

/* A reply must be an object with "ok": true and "reached": members (those
 * on this hub: the others are reached through the cluster). */
static void
on_reply(struct producer *p, const char *line, size_t len)
{
	struct json_scan s;
	uint64_t reached = UINT64_MAX;
	int ok = 0;

	json_scan_init(&s, line, len);
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '{'))
		goto bad;
	do {
		const char *key;
		size_t kl;

		json_scan_skip_space(&s);
		if (json_scan_read_string(&s, &key, &kl) == -1)
			goto bad;
		json_scan_skip_space(&s);
		if (!json_scan_take(&s, ':'))
			goto bad;
		json_scan_skip_space(&s);
		if (kl == 2 && memcmp(key, "ok", 2) == 0) {
			if (s.end - s.p < 4 || memcmp(s.p, "true", 4) != 0)
				goto bad;
			s.p += 4;
			ok = 1;
		} else if (kl == 7 && memcmp(key, "reached", 7) == 0) {
			if (json_scan_read_uint(&s, UINT64_MAX, &reached) ==
			    -1)
				goto bad;
		} else if (json_scan_skip_value(&s, 16) == -1) {
			goto bad;
		}
		json_scan_skip_space(&s);
	} while (json_scan_take(&s, ','));
	if (!json_scan_take(&s, '}') || !ok ||
	    (p->cfg->members != 0 && reached != p->cfg->members))
		goto bad;
	p->confirmed++;
	return;
bad:
	p->bad++;
	note(p, "unexpected reply %.*s (%" PRIu64 " members)",
	    (int)(len > 80 ? 80 : len), line, p->cfg->members);
}

static int
ctl_read(struct producer *p)
{
	size_t start = 0;
	ssize_t n;
	char *nl;

	if (p->incap - p->inlen < READ_BUF / 2) {
		char *q = realloc(p->in, p->incap + READ_BUF);

		if (q == NULL)
			return broken(p, "reply buffer", errno);
		p->in = q;
		p->incap += READ_BUF;
	}
	n = read(p->fd, p->in + p->inlen, p->incap - p->inlen);
	if (n == 0)
		return broken(p, "control socket closed", 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ?
		    0 :
		    broken(p, "control socket read", errno);
	p->inlen += (size_t)n;
	while ((nl = memchr(p->in + start, '\n', p->inlen - start)) != NULL) {
		on_reply(p, p->in + start, (size_t)(nl - (p->in + start)));
		start = (size_t)(nl - p->in) + 1;
	}
	memmove(p->in, p->in + start, p->inlen - start);
	p->inlen -= start;
	if (p->inlen > REPLY_MAX)
		return broken(p, "reply line too long", 0);
	return 0;
}

static void
ctl_events(struct producer *p, uint32_t events)
{
	struct epoll_event ev;

	p->want_out = (events & EPOLLOUT) != 0;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	epoll_ctl(p->epfd, EPOLL_CTL_MOD, p->fd, &ev);
}

static int
ctl_flush(struct producer *p)
{
	ssize_t n;

	while (p->outoff < p->outlen) {
		n = send(p->fd, p->out + p->outoff, p->outlen - p->outoff,
		    MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR) {
				if (!p->want_out)
					ctl_events(p, EPOLLIN | EPOLLOUT);
				return 0;
			}
			return broken(p, "control socket write", errno);
		}
		p->outoff += (size_t)n;
	}
	if (p->want_out)
		ctl_events(p, EPOLLIN);
	p->outoff = p->outlen = 0;
	return 0;
}

static int
ctl_queue(struct producer *p, const char *data, size_t len)
{
	if (p->outcap - p->outlen < len) {
		size_t ncap = p->outcap ? p->outcap : 64 * 1024;
		unsigned char *q;

		while (ncap - p->outlen < len)
			ncap *= 2;
		if ((q = realloc(p->out, ncap)) == NULL)
			return broken(p, "request buffer", errno);
		p->out = q;
		p->outcap = ncap;
	}
	memcpy(p->out + p->outlen, data, len);
	p->outlen += len;
	return 0;
}

static int
ctl_open(struct producer *p)
{
	struct sockaddr_un sun;
	struct epoll_event ev;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(p->cfg->control) >= sizeof(sun.sun_path)) {
		note(p, "control socket path too long");
		return -1;
	}
	memcpy(sun.sun_path, p->cfg->control, strlen(p->cfg->control) + 1);
	p->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (p->fd == -1 ||
	    connect(p->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    fcntl(p->fd, F_SETFL, fcntl(p->fd, F_GETFL) | O_NONBLOCK) == -1) {
		note(p, "control socket '%s': %s", p->cfg->control,
		    strerror(errno));
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	return epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->fd, &ev);
}

/* Both ------------------------------------------------------------------ */

int
producer_open(struct producer *p, const struct producer_config *cfg,
    int64_t deadline_us)
{
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->fd = -1;
	p->epfd = -1;
	p->text_cap = payload_max_len(cfg->payload) + 256;
	p->text = malloc(p->text_cap);
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->text == NULL || p->epfd == -1) {
		note(p, "producer setup: %s", strerror(errno));
		return -1;
	}
	if (cfg->via == PRODUCER_CONTROL)
		return ctl_open(p);
	if (client_env_init(&p->env, p->epfd, &cfg->dst, 1, cfg->path,
	        READ_BUF, &ops, p) == -1 ||
	    client_connect(&p->c, &p->env, 0, &cfg->src) == -1) {
		note(p, "producer connect: %s", strerror(errno));
		return -1;
	}
	while (p->c.state != CLIENT_READY && !p->broken &&
	    mono_us() < deadline_us)
		producer_poll(p, 10000);
	if (p->c.state != CLIENT_READY) {
		note(p, "producer did not connect in time");
		return -1;
	}
	return 0;
}

static int
remember_due(struct producer *p, uint64_t seq, uint64_t t_us)
{
	if (seq >= p->due_cap) {
		size_t ncap = p->due_cap ? p->due_cap * 2 : 4096;
		uint64_t *q;

		while (ncap <= seq)
			ncap *= 2;
		if ((q = realloc(p->due, ncap * sizeof(*q))) == NULL)
			return broken(p, "due times", errno);
		p->due = q;
		p->due_cap = ncap;
	}
	p->due[seq] = t_us;
	return 0;
}

int
producer_send(struct producer *p, uint64_t seq, uint64_t t_us)
{
	const struct payload *pl = p->cfg->payload;
	struct sio_header h = {
		.type = SIO_EVENT,
		.nsp = "/",
		.nsp_len = 1,
		.ack_id = (int64_t)seq,
		.attachments = 0,
	};
	char *pkt;
	size_t off;
	long n, pn;

	if (p->broken)
		return -1;
	if (p->cfg->via == PRODUCER_CONTROL) {
		off = LIT(emit_head) + pl->room_len + LIT(emit_mid);
		memcpy(p->text, emit_head, LIT(emit_head));
		memcpy(p->text + LIT(emit_head), pl->room, pl->room_len);
		memcpy(p->text + off - LIT(emit_mid), emit_mid, LIT(emit_mid));
		n = payload_format(pl, p->text + off, p->text_cap - off - 2,
		    seq, t_us);
		if (n < 0)
			return broken(p, "request too long", 0);
		off += (size_t)n;
		p->text[off++] = '}';
		p->text[off++] = '\n';
		p->sent++;
		if (ctl_queue(p, p->text, off) == -1)
			return -1;
		return p->outoff == 0 && p->outlen == off ? ctl_flush(p) : 0;
	}
	if (remember_due(p, seq, t_us) == -1)
		return -1;
	memcpy(p->text, chat_head, LIT(chat_head));
	n = payload_format(pl, p->text + LIT(chat_head),
	    p->text_cap - LIT(chat_head) - 1, seq, t_us);
	if (n < 0)
		return broken(p, "message too long", 0);
	off = LIT(chat_head) + (size_t)n;
	p->text[off++] = ']';
	pn = sio_encode(NULL, 0, &h, p->text, off);
	if (pn < 0 || (pkt = malloc((size_t)pn)) == NULL)
		return broken(p, "encode", errno);
	sio_encode(pkt, (size_t)pn, &h, p->text, off);
	p->sent++;
	client_send_text(&p->c, pkt, (size_t)pn);
	free(pkt);
	return p->broken ? -1 : 0;
}

int
producer_poll(struct producer *p, int64_t timeout_us)
{
	struct epoll_event ev[8];
	struct timespec ts;
	int n, i;

	if (timeout_us < 0)
		timeout_us = 0;
	ts.tv_sec = timeout_us / 1000000;
	ts.tv_nsec = (long)(timeout_us % 1000000) * 1000;
	n = epoll_pwait2(p->epfd, ev, 8, &ts, NULL);
	for (i = 0; i < n; i++) {
		if (p->cfg->via == PRODUCER_CHAT) {
			client_on_event(ev[i].data.ptr, ev[i].events);
			continue;
		}
		if ((ev[i].events & EPOLLOUT) && ctl_flush(p) == -1)
			break;
		if ((ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
		    ctl_read(p) == -1)
			break;
	}
	return p->broken ? -1 : 0;
}

void
producer_close(struct producer *p)
{
	client_close(&p->c);
	client_env_release(&p->env);
	if (p->fd != -1)
		close(p->fd);
	if (p->epfd != -1)
		close(p->epfd);
	free(p->text);
	free(p->out);
	free(p->in);
	free(p->due);
	p->fd = p->epfd = -1;
	p->text = NULL;
	p->out = NULL;
	p->in = NULL;
	p->due = NULL;
}

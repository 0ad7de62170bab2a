/* worker.c - a share of the clients: open, join, check deliveries. */
#include "worker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "client.h"
#include "mono.h"
#include "procstat.h"
#include "sio.h"

/* Reads land here; also the largest frame a client takes. */
#define READ_BUF (256 * 1024)
#define EVENTS 512
/* The ack id of every join_room. */
#define JOIN_ACK 1

struct receiver {
	struct client c;
	uint64_t next_seq; /* the sequence number due next */
	uint64_t got;      /* deliveries in order */
	uint32_t n;        /* connection number */
	uint8_t acked;     /* its join_room was acknowledged */
	uint8_t settled;   /* joined (or connected, when not joining) */
	uint8_t failed;
};

struct worker {
	const struct worker_config *cfg;
	struct board_slot *slot;
	struct client_env env;
	struct receiver *r;
	uint32_t started, settling;
	/* Published to the slot after each round of events. */
	uint64_t connected, joined, failed, delivered, bad;
	int64_t ready_us, last_delivery_us;
	struct hist latency;
};

static struct receiver *
receiver_of(struct client *c)
{
	return (struct receiver *)((char *)c - offsetof(struct receiver, c));
}

/* Keeps the first failure's reason for the report. */
static void note(struct worker *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (w->slot->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(w->slot->why, sizeof(w->slot->why), fmt, ap);
	va_end(ap);
}

static uint64_t
room_of(const struct worker *w, const struct receiver *r)
{
	return w->cfg->room + r->n % w->cfg->nrooms;
}

static void
settle(struct worker *w, struct receiver *r)
{
	r->settled = 1;
	w->settling--;
	w->ready_us = mono_us();
}

static void
on_connected(struct client *c, void *arg)
{
	struct worker *w = arg;
	struct receiver *r = receiver_of(c);
	struct sio_header h = {
		.type = SIO_EVENT,
		.nsp = "/",
		.nsp_len = 1,
		.ack_id = JOIN_ACK,
		.attachments = 0,
	};
	char json[96], pkt[128];
	long n;
	int jl;

	w->connected++;
	if (w->cfg->nrooms == 0) {
		settle(w, r);
		return;
	}
	jl = snprintf(json, sizeof(json),
	    "[\"join_room\",{\"locationId\":%" PRIu64 ",\"userId\":%" PRIu32
	    "}]",
	    room_of(w, r), r->n);
	n = sio_encode(pkt, sizeof(pkt), &h, json, (size_t)jl);
	if (n > 0)
		client_send_text(c, pkt, (size_t)n);
}

/* The join_room ack must be exactly 3<id>["<room>"]. */
static void
on_join_ack(struct worker *w, struct receiver *r, const char *pkt, size_t len)
{
	char want[64];
	int n;

	n = snprintf(want, sizeof(want), "3%d[\"%" PRIu64 "\"]", JOIN_ACK,
	    room_of(w, r));
	if (r->acked || (size_t)n != len || memcmp(pkt, want, len) != 0) {
		w->bad++;
		note(w, "unexpected ack %.*s (wanted %s)",
		    (int)(len > 60 ? 60 : len), pkt, want);
		return;
	}
	r->acked = 1;
	w->joined++;
	if (w->cfg->retained == NULL)
		settle(w, r);
}

/* The retained message due right after the ack: 2["<event>",... once. */
static void
on_retained(struct worker *w, struct receiver *r, const char *pkt, size_t len)
{
	size_t el = strlen(w->cfg->retained);

	if (!r->acked || r->settled || len < el + 5 ||
	    memcmp(pkt, "2[\"", 3) != 0 ||
	    memcmp(pkt + 3, w->cfg->retained, el) != 0 ||
	    memcmp(pkt + 3 + el, "\",", 2) != 0) {
		w->bad++;
		note(w, "unexpected event %.*s (wanted one retained %s)",
		    (int)(len > 60 ? 60 : len), pkt, w->cfg->retained);
		return;
	}
	w->delivered++;
	settle(w, r);
}

static void
on_delivery(struct worker *w, struct receiver *r, const char *pkt, size_t len)
{
	uint64_t seq, t;
	int64_t now;

	if (w->cfg->payload == NULL ||
	    payload_check(w->cfg->payload, pkt, len, &seq, &t) == -1) {
		w->bad++;
		note(w, "unexpected event %.*s", (int)(len > 80 ? 80 : len),
		    pkt);
		return;
	}
	if (seq != r->next_seq) {
		w->bad++;
		note(w,
		    "connection %" PRIu32 " got message %" PRIu64
		    " where %" PRIu64 " was due",
		    r->n, seq, r->next_seq);
		r->next_seq = seq + 1;
		return;
	}
	now = mono_us();
	r->next_seq++;
	r->got++;
	w->delivered++;
	w->last_delivery_us = now;
	hist_add(&w->latency, now > (int64_t)t ? (uint64_t)now - t : 0);
}

static void
on_packet(struct client *c, const char *pkt, size_t len, void *arg)
{
	struct worker *w = arg;
	struct receiver *r = receiver_of(c);

	if (len > 0 && pkt[0] == '0' + SIO_ACK)
		on_join_ack(w, r, pkt, len);
	else if (len > 0 && pkt[0] == '0' + SIO_EVENT && w->cfg->retained)
		on_retained(w, r, pkt, len);
	else if (len > 0 && pkt[0] == '0' + SIO_EVENT)
		on_delivery(w, r, pkt, len);
	else {
		w->bad++;
		note(w, "unexpected packet %.*s", (int)(len > 60 ? 60 : len),
		    pkt);
	}
}

static void
on_closed(struct client *c, const char *why, int err, void *arg)
{
	struct worker *w = arg;
	struct receiver *r = receiver_of(c);

	r->failed = 1;
	w->failed++;
	if (!r->settled) {
		r->settled = 1;
		w->settling--;
	}
	note(w, "connection %" PRIu32 ": %s%s%s", r->n, why, err ? ": " : "",
	    err ? strerror(err) : "");
}

static const struct client_ops ops = {
	.on_connected = on_connected,
	.on_packet = on_packet,
	.on_closed = on_closed,
};

/* Starts connections until 'concurrency' are being set up. */
static void
start_more(struct worker *w)
{
	const struct worker_config *cfg = w->cfg;
	struct receiver *r;
	struct in_addr src;

	while (w->started < cfg->count && w->settling < cfg->concurrency) {
		r = &w->r[w->started++];
		r->n = cfg->first + w->started - 1;
		src.s_addr = htonl(
		    ntohl(cfg->src.s_addr) + r->n % cfg->naddrs);
		w->settling++;
		if (client_connect(&r->c, &w->env, r->n % cfg->nhubs, &src) ==
		    -1) {
			char a[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &src, a, sizeof(a));
			note(w, "connect from %s: %s", a, strerror(errno));
			r->failed = 1;
			w->failed++;
			settle(w, r);
		}
	}
}

static void
publish(struct worker *w)
{
	struct board_slot *s = w->slot;

	atomic_store(&s->connected, w->connected);
	atomic_store(&s->joined, w->joined);
	atomic_store(&s->failed, w->failed);
	atomic_store(&s->bad, w->bad);
	atomic_store(&s->last_delivery_us, w->last_delivery_us);
	atomic_store(&s->delivered, w->delivered);
}

/* True once every working receiver has had 'messages' deliveries. */
static int
all_in(const struct worker *w, uint64_t messages)
{
	uint32_t i;

	if (w->cfg->payload == NULL)
		return 1; /* idle connections expect nothing */
	for (i = 0; i < w->started; i++)
		if (!w->r[i].failed && w->r[i].got < messages)
			return 0;
	return 1;
}

static void
finish(struct worker *w, uint64_t messages, double cpu0)
{
	struct board_slot *s = w->slot;
	uint32_t i;

	s->complete = 0;
	s->missing = 0;
	for (i = 0; w->cfg->payload != NULL && i < w->cfg->count; i++) {
		const struct receiver *r = &w->r[i];

		if (r->got == messages && r->next_seq == messages)
			s->complete++;
		else if (r->got < messages)
			s->missing += messages - r->got;
	}
	if (s->missing > 0)
		note(w, "%" PRIu64 " deliveries missing", s->missing);
	s->cpu_s = procstat_self_cpu_s() - cpu0;
	hist_merge(&s->latency, &w->latency);
	publish(w);
	atomic_store(&s->state, WORKER_DONE);
}

int
worker_run(const struct worker_config *cfg, struct board *b)
{
	struct epoll_event ev[EVENTS];
	struct worker w;
	int64_t setup_end, drain_end = 0;
	double cpu0 = 0;
	int epfd, n, i, phase, running = 0, rc = -1;
	uint32_t k;

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.slot = &b->slot[cfg->index];
	hist_init(&w.latency);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	w.r = calloc(cfg->count ? cfg->count : 1, sizeof(*w.r));
	if (epfd == -1 || w.r == NULL ||
	    client_env_init(&w.env, epfd, cfg->dst, cfg->nhubs, cfg->path,
	        READ_BUF, &ops, &w) == -1) {
		note(&w, "worker setup: %s", strerror(errno));
		goto out;
	}
	setup_end = mono_us() + cfg->setup_timeout_us;
	for (;;) {
		phase = atomic_load(&b->phase);
		if (phase == BOARD_STOP)
			break;
		if (phase >= BOARD_RUN && !running) {
			running = 1;
			cpu0 = procstat_self_cpu_s();
		}
		if (phase == BOARD_SETUP)
			start_more(&w);
		n = epoll_wait(epfd, ev, EVENTS,
		    phase == BOARD_FINISH ? 2 : 10);
		for (i = 0; i < n; i++)
			client_on_event(ev[i].data.ptr, ev[i].events);
		publish(&w);
		if (atomic_load(&w.slot->state) == WORKER_SETUP &&
		    ((w.started == cfg->count && w.settling == 0) ||
		        mono_us() > setup_end)) {
			if (w.settling > 0)
				note(&w,
				    "%" PRIu32 " connections not set up "
				    "in time",
				    w.settling + cfg->count - w.started);
			atomic_store(&w.slot->ready_us, w.ready_us);
			atomic_store(&w.slot->state, WORKER_READY);
		}
		if (phase == BOARD_FINISH) {
			uint64_t m = atomic_load(&b->messages);

			if (drain_end == 0)
				drain_end = mono_us() + cfg->drain_timeout_us;
			if (all_in(&w, m) || mono_us() > drain_end) {
				finish(&w, m, cpu0);
				break;
			}
		}
	}
	rc = 0;
out:
	for (k = 0; w.r != NULL && k < w.started; k++)
		client_close(&w.r[k].c);
	client_env_release(&w.env);
	free(w.r);
	if (epfd != -1)
		close(epfd);
	return rc;
}

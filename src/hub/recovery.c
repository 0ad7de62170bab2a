/* recovery.c - connection state recovery's bookkeeping (see recovery.h). */
#include "recovery.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One broadcast, as its recipients got it. */
struct recovery_event {
	TAILQ_ENTRY(recovery_event) link;
	uint64_t seq;
	int64_t at;
	const void *nsp;
	struct frame *frame; /* a reference */
	size_t bytes;
	size_t nrooms, nexcept;
	struct room_name names[]; /* rooms, then exceptions; text after */
};

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int
recovery_name_cmp(const void *a, const void *b)
{
	const struct room_name *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->s, y->s, x->len);
}

void
recovery_init(struct recovery *r, const struct recovery_config *cfg,
    const uint8_t seed[32])
{
	uint8_t tseed[16];
	size_t i;

	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	TAILQ_INIT(&r->events);
	TAILQ_INIT(&r->sessions);
	memcpy(r->key[0], seed, 16);
	memcpy(r->key[1], seed + 16, 16);
	for (i = 0; i < 16; i++)
		tseed[i] = (uint8_t)(seed[i] ^ seed[31 - i] ^ 0x5c);
	hashtab_init(&r->by_pid, tseed);
	/* Offsets of another process (a restarted hub) are told apart. */
	for (i = 0; i < 4; i++)
		r->epoch[i] = b64url[seed[i] & 63];
	r->epoch[4] = '\0';
	r->floor = 1;
}

static void
event_free(struct recovery *r, struct recovery_event *e)
{
	TAILQ_REMOVE(&r->events, e, link);
	r->stats.events--;
	r->stats.event_bytes -= e->bytes;
	/* Every event up to this one may now be missing. */
	if (e->seq + 1 > r->floor)
		r->floor = e->seq + 1;
	frame_unref(e->frame);
	free(e);
}

/* Takes 's' out of the table and the list (not freed). */
static void
session_unlink(struct recovery *r, struct recovery_session *s)
{
	hashtab_del(&r->by_pid, s->pid, RECOVERY_PID_LEN);
	TAILQ_REMOVE(&r->sessions, s, link);
	r->stats.sessions--;
	r->stats.session_bytes -= s->bytes;
}

void
recovery_session_free(struct recovery *r, struct recovery_session *s)
{
	(void)r;
	if (s == NULL)
		return;
	jv_free(s->app);
	free(s);
}

void
recovery_release(struct recovery *r)
{
	struct recovery_session *s;

	while (!TAILQ_EMPTY(&r->events))
		event_free(r, TAILQ_FIRST(&r->events));
	while ((s = TAILQ_FIRST(&r->sessions)) != NULL) {
		session_unlink(r, s);
		recovery_session_free(r, s);
	}
	hashtab_release(&r->by_pid);
}

void
recovery_pid(const struct recovery *r, const char *sid,
    char out[RECOVERY_PID_LEN + 1])
{
	uint64_t h[2];
	unsigned acc = 0, bits = 0;
	size_t i, n = 0;

	h[0] = hashtab_siphash(r->key[0], sid, ROOM_SOCK_ID_LEN);
	h[1] = hashtab_siphash(r->key[1], sid, ROOM_SOCK_ID_LEN);
	for (i = 0; i < 16; i++) {
		acc = (acc << 8) |
		    (unsigned)((h[i / 8] >> (8 * (i % 8))) & 0xff);
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[n++] = b64url[(acc >> bits) & 63];
		}
	}
	out[n++] = b64url[(acc << (6 - bits)) & 63];
	out[n] = '\0';
}

uint64_t
recovery_next(const struct recovery *r)
{
	return r->seq + 1;
}

int
recovery_offset_text(const struct recovery *r, uint64_t seq,
    char out[RECOVERY_OFFSET_MAX])
{
	return snprintf(out, RECOVERY_OFFSET_MAX, "%s-%llu", r->epoch,
	    (unsigned long long)seq);
}

/* Reads an offset's text: 0 and its seq, or -1 when not one of ours. */
static int
offset_parse(const struct recovery *r, const char *t, size_t len,
    uint64_t *seq)
{
	uint64_t v = 0;
	size_t i;

	if (len < 6 || len > 4 + 1 + 20 || memcmp(t, r->epoch, 4) != 0 ||
	    t[4] != '-')
		return -1;
	for (i = 5; i < len; i++) {
		if (t[i] < '0' || t[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(t[i] - '0');
	}
	if (v == 0 || v > r->seq)
		return -1;
	*seq = v;
	return 0;
}

/* Drops the oldest events until 'need' more bytes fit. */
static void
events_make_room(struct recovery *r, size_t need)
{
	struct recovery_event *e;

	while ((e = TAILQ_FIRST(&r->events)) != NULL &&
	    r->stats.event_bytes + need > r->cfg.max_bytes) {
		r->stats.events_dropped++;
		event_free(r, e);
	}
}

/* Copies 'n' names into 'to', their text at *text (advanced). */
static void
copy_names(struct room_name *to, const struct room_name *from, size_t n,
    char **text)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(*text, from[i].s, from[i].len);
		to[i].s = *text;
		to[i].len = from[i].len;
		*text += from[i].len;
	}
}

int
recovery_add(struct recovery *r, int64_t now, const void *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept, struct frame *f)
{
	struct recovery_event *e;
	size_t text = 0, bytes, i;
	char *p;

	r->seq++;
	for (i = 0; i < nrooms; i++)
		text += rooms[i].len;
	for (i = 0; i < nexcept; i++)
		text += except[i].len;
	bytes = sizeof(*e) + (nrooms + nexcept) * sizeof(e->names[0]) + text;
	if (bytes + f->len > r->cfg.max_bytes) {
		/* Sessions that may have missed it can no longer recover. */
		r->stats.events_dropped++;
		r->floor = r->seq + 1;
		errno = EMSGSIZE;
		return -1;
	}
	events_make_room(r, bytes + f->len);
	if ((e = malloc(bytes)) == NULL) {
		r->floor = r->seq + 1;
		errno = ENOMEM;
		return -1;
	}
	e->seq = r->seq;
	e->at = now;
	e->nsp = nsp;
	e->frame = frame_ref(f);
	e->bytes = bytes + f->len;
	e->nrooms = nrooms;
	e->nexcept = nexcept;
	p = (char *)&e->names[nrooms + nexcept];
	copy_names(e->names, rooms, nrooms, &p);
	copy_names(e->names + nrooms, except, nexcept, &p);
	TAILQ_INSERT_TAIL(&r->events, e, link);
	r->stats.events++;
	r->stats.event_bytes += e->bytes;
	return 0;
}

int
recovery_keep(struct recovery *r, int64_t now, const char *sid,
    const void *nsp, uint64_t start, const struct room_name *rooms,
    size_t nrooms, jv app)
{
	struct recovery_session *s, *old;
	size_t text = 0, bytes, i;
	char *p;

	for (i = 0; i < nrooms; i++)
		text += rooms[i].len;
	bytes = sizeof(*s) + nrooms * sizeof(s->rooms[0]) + text;
	if ((s = malloc(bytes)) == NULL) {
		jv_free(app);
		errno = ENOMEM;
		return -1;
	}
	recovery_pid(r, sid, s->pid);
	memcpy(s->sid, sid, ROOM_SOCK_ID_LEN);
	s->sid[ROOM_SOCK_ID_LEN] = '\0';
	s->nsp = nsp;
	s->at = now;
	s->from = start;
	s->app = app;
	s->bytes = bytes;
	s->nrooms = nrooms;
	s->rooms = (struct room_name *)(s + 1);
	p = (char *)&s->rooms[nrooms];
	copy_names(s->rooms, rooms, nrooms, &p);
	qsort(s->rooms, nrooms, sizeof(s->rooms[0]), recovery_name_cmp);
	/* The same socket kept twice (it came back and went again, and its
	 * first session was not taken): the newer stands. */
	if ((old = hashtab_get(&r->by_pid, s->pid, RECOVERY_PID_LEN)) !=
	    NULL) {
		session_unlink(r, old);
		recovery_session_free(r, old);
	}
	if (hashtab_put(&r->by_pid, s->pid, RECOVERY_PID_LEN, s) == -1) {
		recovery_session_free(r, s);
		errno = ENOMEM;
		return -1;
	}
	TAILQ_INSERT_TAIL(&r->sessions, s, link);
	r->stats.sessions++;
	r->stats.session_bytes += s->bytes;
	while (r->stats.sessions > r->cfg.max_sessions &&
	    (old = TAILQ_FIRST(&r->sessions)) != NULL) {
		r->stats.sessions_dropped++;
		session_unlink(r, old);
		recovery_session_free(r, old);
	}
	return 0;
}

/* Whether the session is the socket 'n' names, or is in room 'n'. */
static int
session_has(const struct recovery_session *s, const struct room_name *n)
{
	if (n->len == ROOM_SOCK_ID_LEN &&
	    memcmp(n->s, s->sid, ROOM_SOCK_ID_LEN) == 0)
		return 1;
	return bsearch(n, s->rooms, s->nrooms, sizeof(s->rooms[0]),
	           recovery_name_cmp) != NULL;
}

/* Whether the broadcast would have reached the session's socket, as
 * socket.io-adapter's shouldIncludePacket() judges. */
static int
event_reaches(const struct recovery_event *e, const struct recovery_session *s)
{
	size_t i;
	int in = e->nrooms == 0;

	if (e->nsp != s->nsp)
		return 0;
	for (i = 0; !in && i < e->nrooms; i++)
		in = session_has(s, &e->names[i]);
	for (i = 0; in && i < e->nexcept; i++)
		in = !session_has(s, &e->names[e->nrooms + i]);
	return in;
}

struct recovery_session *
recovery_take(struct recovery *r, int64_t now, const char *pid, size_t pidlen,
    const void *nsp, const char *offset, size_t offlen,
    enum recovery_fail *why)
{
	struct recovery_session *s = NULL;
	uint64_t seen;

	if (pidlen == RECOVERY_PID_LEN)
		s = hashtab_get(&r->by_pid, pid, pidlen);
	if (s == NULL) {
		*why = RECOVERY_UNKNOWN;
		goto fail;
	}
	if (s->nsp != nsp) {
		*why = RECOVERY_NAMESPACE;
		s = NULL;
		goto fail;
	}
	session_unlink(r, s);
	if (now - s->at > (int64_t)r->cfg.window_ms) {
		*why = RECOVERY_EXPIRED;
		goto fail;
	}
	/* Without an offset the client saw no event since it connected;
	 * with one, none before it is missed, nor any before it connected
	 * (socket.io-client keeps an offset across sessions). */
	if (offset != NULL) {
		if (offset_parse(r, offset, offlen, &seen) == -1) {
			*why = RECOVERY_BAD_OFFSET;
			goto fail;
		}
		if (seen > s->from)
			s->from = seen;
	}
	if (s->from + 1 < r->floor) {
		*why = RECOVERY_GAP;
		goto fail;
	}
	r->stats.recovered++;
	return s;
fail:
	r->stats.failed++;
	recovery_session_free(r, s);
	return NULL;
}

size_t
recovery_missed(struct recovery *r, const struct recovery_session *s,
    int (*fn)(struct frame *f, void *arg), void *arg)
{
	struct recovery_event *e;
	size_t n = 0;

	/* Newest first to find the start: a blip misses the last few. */
	TAILQ_FOREACH_REVERSE(e, &r->events, recovery_event_list, link)
		if (e->seq <= s->from)
			break;
	e = e == NULL ? TAILQ_FIRST(&r->events) : TAILQ_NEXT(e, link);
	for (; e != NULL; e = TAILQ_NEXT(e, link)) {
		if (!event_reaches(e, s))
			continue;
		n++;
		r->stats.replayed++;
		if (fn(e->frame, arg) != 0)
			break;
	}
	return n;
}

void
recovery_expire(struct recovery *r, int64_t now)
{
	struct recovery_session *s;
	struct recovery_event *e;
	int64_t window = (int64_t)r->cfg.window_ms;

	while (
	    (s = TAILQ_FIRST(&r->sessions)) != NULL && now - s->at > window) {
		session_unlink(r, s);
		recovery_session_free(r, s);
	}
	while ((e = TAILQ_FIRST(&r->events)) != NULL && now - e->at > window)
		event_free(r, e);
}

int64_t
recovery_next_deadline(const struct recovery *r)
{
	const struct recovery_session *s = TAILQ_FIRST(&r->sessions);
	const struct recovery_event *e = TAILQ_FIRST(&r->events);
	int64_t at = INT64_MAX;

	if (s != NULL)
		at = s->at;
	if (e != NULL && e->at < at)
		at = e->at;
	if (at == INT64_MAX)
		return at;
	return at + (int64_t)r->cfg.window_ms + RECOVERY_SWEEP_MS;
}

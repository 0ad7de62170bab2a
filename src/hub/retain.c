/* retain.c - each room's last message of chosen events (see retain.h). */
#include "retain.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sio.h"

struct retain_msg {
	struct frame *f; /* a reference; NULL: none */
	int64_t at;
};

/* One room: its messages, one slot an event, then its key. */
struct retain_room {
	TAILQ_ENTRY(retain_room) link;
	int64_t updated; /* the newest of its messages' times */
	size_t bytes;    /* what it counts against max_bytes */
	uint32_t keylen;
	struct retain_msg *msgs; /* cfg.nevents of them, in this block */
	char key[];              /* the namespace's pointer, then the name */
};

void
retain_init(struct retain *r, const struct retain_config *cfg,
    const uint8_t seed[16])
{
	memset(r, 0, sizeof(*r));
	r->cfg = *cfg;
	if (r->cfg.nevents > RETAIN_EVENTS_MAX)
		r->cfg.nevents = RETAIN_EVENTS_MAX;
	hashtab_init(&r->rooms, seed);
	TAILQ_INIT(&r->lru);
}

int
retain_enabled(const struct retain *r)
{
	return r->cfg.nevents > 0;
}

static void
room_drop(struct retain *r, struct retain_room *rm)
{
	size_t i;

	hashtab_del(&r->rooms, rm->key, rm->keylen);
	TAILQ_REMOVE(&r->lru, rm, link);
	for (i = 0; i < r->cfg.nevents; i++)
		if (rm->msgs[i].f != NULL)
			frame_unref(rm->msgs[i].f);
	r->stats.bytes -= rm->bytes;
	r->stats.rooms--;
	free(rm);
}

void
retain_release(struct retain *r)
{
	while (!TAILQ_EMPTY(&r->lru))
		room_drop(r, TAILQ_FIRST(&r->lru));
	hashtab_release(&r->rooms);
}

int
retain_event(const struct retain *r, const char *json, size_t len)
{
	return sio_event_index(json, len, r->cfg.events, r->cfg.nevents);
}

/* The key of a room: the namespace's pointer, then the room's name. */
static size_t
make_key(char *key, const void *nsp, const char *room, size_t len)
{
	memcpy(key, &nsp, sizeof(nsp));
	memcpy(key + sizeof(nsp), room, len);
	return sizeof(nsp) + len;
}

static struct retain_room *
find(const struct retain *r, const void *nsp, const char *room, size_t len,
    char *key, size_t *keylen)
{
	*keylen = make_key(key, nsp, room, len);
	return hashtab_get(&r->rooms, key, *keylen);
}

/* Whether every message of 'rm' is past the TTL at 'now'. */
static int
stale(const struct retain *r, const struct retain_room *rm, int64_t now)
{
	return r->cfg.ttl_ms != 0 &&
	    now - rm->updated > (int64_t)r->cfg.ttl_ms;
}

void
retain_expire(struct retain *r, int64_t now)
{
	struct retain_room *rm;

	/* Oldest first: the walk stops at the first room still fresh. */
	while ((rm = TAILQ_FIRST(&r->lru)) != NULL && stale(r, rm, now)) {
		room_drop(r, rm);
		r->stats.expired++;
	}
}

int
retain_keep(struct retain *r, const void *nsp, const char *room, size_t len,
    int ev, struct frame *f, int64_t now)
{
	struct retain_room *rm;
	struct retain_msg *m;
	size_t keylen, room_size;
	char *key;

	if (ev < 0 || (size_t)ev >= r->cfg.nevents) {
		errno = EINVAL;
		return -1;
	}
	if ((key = malloc(sizeof(nsp) + len)) == NULL)
		return -1;
	rm = find(r, nsp, room, len, key, &keylen);
	if (rm == NULL) {
		if ((size_t)f->len + RETAIN_ROOM_COST + keylen >
		    r->cfg.max_bytes) {
			free(key);
			errno = EMSGSIZE;
			return -1;
		}
		/* The messages after the key, aligned for their int64_t. */
		room_size = sizeof(*rm) + ((keylen + 7) & ~(size_t)7) +
		    r->cfg.nevents * sizeof(*rm->msgs);
		if ((rm = calloc(1, room_size)) == NULL) {
			free(key);
			return -1;
		}
		memcpy(rm->key, key, keylen);
		rm->keylen = (uint32_t)keylen;
		rm->msgs = (struct retain_msg *)(void *)((char *)rm +
		    sizeof(*rm) + ((keylen + 7) & ~(size_t)7));
		if (hashtab_put(&r->rooms, rm->key, keylen, rm) == -1) {
			free(rm);
			free(key);
			return -1;
		}
		rm->bytes = RETAIN_ROOM_COST + keylen;
		r->stats.bytes += rm->bytes;
		r->stats.rooms++;
		TAILQ_INSERT_TAIL(&r->lru, rm, link);
	}
	free(key);
	m = &rm->msgs[ev];
	if (m->f != NULL) {
		rm->bytes -= m->f->len;
		r->stats.bytes -= m->f->len;
		frame_unref(m->f);
		m->f = NULL;
	}
	if ((size_t)f->len + RETAIN_ROOM_COST + rm->keylen >
	    r->cfg.max_bytes) {
		errno = EMSGSIZE;
		return -1;
	}
	m->f = frame_ref(f);
	m->at = now;
	rm->bytes += f->len;
	r->stats.bytes += f->len;
	r->stats.kept++;
	rm->updated = now;
	TAILQ_REMOVE(&r->lru, rm, link);
	TAILQ_INSERT_TAIL(&r->lru, rm, link);
	/* Over the bound, the rooms updated longest ago go; this one, the
	 * newest, only if it alone is over, which was refused above. */
	while (
	    r->stats.bytes > r->cfg.max_bytes && TAILQ_FIRST(&r->lru) != rm) {
		room_drop(r, TAILQ_FIRST(&r->lru));
		r->stats.evicted++;
	}
	retain_expire(r, now);
	return 0;
}

size_t
retain_each(struct retain *r, const void *nsp, const char *room, size_t len,
    int64_t now, void (*fn)(struct frame *f, void *arg), void *arg)
{
	struct retain_room *rm;
	struct retain_msg *order[RETAIN_EVENTS_MAX];
	size_t keylen, i, j, n = 0;
	char *key;

	if (r->cfg.nevents == 0 || (key = malloc(sizeof(nsp) + len)) == NULL)
		return 0;
	rm = find(r, nsp, room, len, key, &keylen);
	free(key);
	if (rm == NULL)
		return 0;
	/* The fresh ones, oldest first (insertion sort: a few events). */
	for (i = 0; i < r->cfg.nevents; i++) {
		struct retain_msg *m = &rm->msgs[i];

		if (m->f == NULL ||
		    (r->cfg.ttl_ms != 0 &&
		        now - m->at > (int64_t)r->cfg.ttl_ms))
			continue;
		for (j = n; j > 0 && order[j - 1]->at > m->at; j--)
			order[j] = order[j - 1];
		order[j] = m;
		n++;
	}
	for (i = 0; i < n; i++)
		fn(order[i]->f, arg);
	r->stats.sent += n;
	return n;
}

/* room.c - namespaces, rooms and memberships (see room.h). */
#include "room.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
room_registry_init(struct room_registry *reg, const uint8_t seed[16])
{
	memcpy(reg->seed, seed, sizeof(reg->seed));
	hashtab_init(&reg->nsps, seed);
	hashtab_init(&reg->socks, seed);
	hashtab_init(&reg->members, seed);
	reg->nrooms = 0;
	reg->on_room = NULL;
	reg->on_room_arg = NULL;
}

static void
room_free(struct room_registry *reg, struct room *r)
{
	if (reg->on_room != NULL)
		reg->on_room(reg->on_room_arg, r, 0);
	hashtab_del(&r->nsp->rooms, r->name, r->name_len);
	reg->nrooms--;
	free(r);
}

void
room_registry_release(struct room_registry *reg)
{
	struct room_nsp *nsp;
	size_t pos = 0;

	while ((nsp = hashtab_next(&reg->nsps, &pos)) != NULL) {
		while (!LIST_EMPTY(&nsp->socks))
			room_sock_free(reg, LIST_FIRST(&nsp->socks));
		hashtab_release(&nsp->rooms);
		free(nsp);
	}
	hashtab_release(&reg->nsps);
	hashtab_release(&reg->socks);
	hashtab_release(&reg->members);
}

struct room_nsp *
room_nsp_add(struct room_registry *reg, const char *name, size_t len)
{
	struct room_nsp *nsp = room_nsp_find(reg, name, len);

	if (nsp != NULL)
		return nsp;
	nsp = calloc(1, sizeof(*nsp) + len + 1);
	if (nsp == NULL)
		return NULL;
	memcpy(nsp->name, name, len);
	nsp->name_len = len;
	hashtab_init(&nsp->rooms, reg->seed);
	LIST_INIT(&nsp->socks);
	if (hashtab_put(&reg->nsps, nsp->name, len, nsp) == -1) {
		free(nsp);
		return NULL;
	}
	return nsp;
}

struct room_nsp *
room_nsp_find(const struct room_registry *reg, const char *name, size_t len)
{
	return hashtab_get(&reg->nsps, name, len);
}

struct room_sock *
room_sock_add(struct room_registry *reg, struct room_nsp *nsp, const char *id,
    void *owner)
{
	struct room_sock *s;

	if (room_sock_find(reg, id, ROOM_SOCK_ID_LEN) != NULL) {
		errno = EEXIST;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	memcpy(s->id, id, ROOM_SOCK_ID_LEN);
	s->id[ROOM_SOCK_ID_LEN] = '\0';
	s->nsp = nsp;
	s->owner = owner;
	TAILQ_INIT(&s->rooms);
	if (hashtab_put(&reg->socks, s->id, ROOM_SOCK_ID_LEN, s) == -1) {
		free(s);
		return NULL;
	}
	LIST_INSERT_HEAD(&nsp->socks, s, nsp_link);
	nsp->nsocks++;
	return s;
}

struct room_sock *
room_sock_find(const struct room_registry *reg, const char *id, size_t len)
{
	return hashtab_get(&reg->socks, id, len);
}

/* The membership of 's' in 'r', or NULL. */
static struct room_member *
member_find(const struct room_registry *reg, const struct room *r,
    const struct room_sock *s)
{
	/* The key is the two pointers' bytes; nothing is written through. */
	struct room_member_key key = { (struct room *)r,
		(struct room_sock *)s };

	return hashtab_get(&reg->members, (const char *)&key, sizeof(key));
}

/* Ends membership 'm', and its room with its last member. */
static void
member_free(struct room_registry *reg, struct room_member *m)
{
	struct room *r = m->key.room;
	struct room_sock *s = m->key.sock;

	hashtab_del(&reg->members, (const char *)&m->key, sizeof(m->key));
	TAILQ_REMOVE(&r->members, m, room_link);
	TAILQ_REMOVE(&s->rooms, m, sock_link);
	r->nmembers--;
	s->nrooms--;
	free(m);
	if (r->nmembers == 0)
		room_free(reg, r);
}

void
room_sock_free(struct room_registry *reg, struct room_sock *s)
{
	struct room_member *m;

	while ((m = TAILQ_FIRST(&s->rooms)) != NULL)
		member_free(reg, m);
	hashtab_del(&reg->socks, s->id, ROOM_SOCK_ID_LEN);
	LIST_REMOVE(s, nsp_link);
	s->nsp->nsocks--;
	free(s);
}

struct room *
room_find(const struct room_nsp *nsp, const char *name, size_t len)
{
	return hashtab_get(&nsp->rooms, name, len);
}

/* A new, empty room 'name' of 'nsp', or NULL (ENOMEM). */
static struct room *
room_new(struct room_registry *reg, struct room_nsp *nsp, const char *name,
    size_t len)
{
	struct room *r = calloc(1, sizeof(*r) + len + 1);

	if (r == NULL)
		return NULL;
	memcpy(r->name, name, len);
	r->name_len = (uint32_t)len;
	r->nsp = nsp;
	TAILQ_INIT(&r->members);
	if (hashtab_put(&nsp->rooms, r->name, len, r) == -1) {
		free(r);
		return NULL;
	}
	reg->nrooms++;
	if (reg->on_room != NULL)
		reg->on_room(reg->on_room_arg, r, 1);
	return r;
}

int
room_join(struct room_registry *reg, struct room_sock *s, const char *name,
    size_t len)
{
	struct room_member *m;
	struct room *r;

	if (len > ROOM_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	r = room_find(s->nsp, name, len);
	if (r != NULL && member_find(reg, r, s) != NULL)
		return 0;
	if ((m = malloc(sizeof(*m))) == NULL)
		goto nomem;
	if (r == NULL && (r = room_new(reg, s->nsp, name, len)) == NULL)
		goto nomem;
	m->key.room = r;
	m->key.sock = s;
	if (hashtab_put(&reg->members, (const char *)&m->key, sizeof(m->key),
	        m) == -1) {
		if (r->nmembers == 0)
			room_free(reg, r);
		goto nomem;
	}
	TAILQ_INSERT_TAIL(&r->members, m, room_link);
	TAILQ_INSERT_TAIL(&s->rooms, m, sock_link);
	r->nmembers++;
	s->nrooms++;
	return 1;
nomem:
	free(m);
	errno = ENOMEM;
	return -1;
}

int
room_leave(struct room_registry *reg, struct room_sock *s, const char *name,
    size_t len)
{
	struct room *r = room_find(s->nsp, name, len);
	struct room_member *m;

	if (r == NULL || (m = member_find(reg, r, s)) == NULL)
		return 0;
	member_free(reg, m);
	return 1;
}

int
room_is_member(const struct room_registry *reg, const struct room_sock *s,
    const char *name, size_t len)
{
	struct room *r = room_find(s->nsp, name, len);

	return r != NULL && member_find(reg, r, s) != NULL;
}

/* A fresh mark; when the counter wraps, old marks are cleared first. */
static uint32_t
next_mark(struct room_registry *reg)
{
	struct room_nsp *nsp;
	struct room_sock *s;
	size_t pos = 0;

	if (++reg->epoch != 0)
		return reg->epoch;
	while ((nsp = hashtab_next(&reg->nsps, &pos)) != NULL)
		LIST_FOREACH(s, &nsp->socks, nsp_link)
			s->seen = 0;
	return reg->epoch = 1;
}

/* Calls 'fn' for each socket the name 'n' stands for in 'nsp'. */
static size_t
each_named(const struct room_registry *reg, const struct room_nsp *nsp,
    const struct room_name *n, uint32_t mark,
    int (*deliver)(struct room_sock *s, void *arg), void *arg)
{
	struct room *r = room_find(nsp, n->s, n->len);
	struct room_member *m;
	struct room_sock *s;
	size_t reached = 0;

	if (r != NULL) {
		TAILQ_FOREACH(m, &r->members, room_link) {
			s = m->key.sock;
			if (s->seen == mark)
				continue;
			s->seen = mark;
			if (deliver != NULL && deliver(s, arg) == 0)
				reached++;
		}
		return reached;
	}
	s = room_sock_find(reg, n->s, n->len);
	if (s == NULL || s->nsp != nsp || s->seen == mark)
		return 0;
	s->seen = mark;
	return deliver != NULL && deliver(s, arg) == 0;
}

size_t
room_deliver_many(struct room_registry *reg, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    int (*deliver)(struct room_sock *s, void *arg), void *arg)
{
	uint32_t mark = next_mark(reg);
	struct room_sock *s;
	size_t i, reached = 0;

	/* The excepted are marked as if reached already. */
	for (i = 0; i < nexcept; i++)
		each_named(reg, nsp, &except[i], mark, NULL, NULL);
	if (nrooms == 0) {
		LIST_FOREACH(s, &nsp->socks, nsp_link) {
			if (s->seen == mark)
				continue;
			s->seen = mark;
			if (deliver(s, arg) == 0)
				reached++;
		}
		return reached;
	}
	for (i = 0; i < nrooms; i++)
		reached += each_named(reg, nsp, &rooms[i], mark, deliver, arg);
	return reached;
}

/*
 * hubview.c - the hub's registry as the application sees it (see hub.h):
 * sockets, namespaces and rooms found and listed, per-socket data, stats.
 * Touches no connection and calls no libwebsockets function, so a test of
 * the hub's users links it instead of copying it.
 */
#include "hub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct room_sock *
hub_socket_find(const struct hub *hub, const char *id, size_t len)
{
	return room_sock_find(&hub->reg, id, len);
}

const char *
hub_socket_id(const struct room_sock *s)
{
	return s->id;
}

size_t
hub_socket_room_count(const struct room_sock *s)
{
	return s->nrooms;
}

int
hub_socket_in_room(const struct hub *hub, const struct room_sock *s,
    const char *room, size_t len)
{
	return room_is_member(&hub->reg, s, room, len);
}

struct room_nsp *
hub_socket_namespace(const struct room_sock *s)
{
	return s->nsp;
}

void *
hub_socket_data(const struct room_sock *s)
{
	return s->data;
}

void
hub_socket_set_data(struct room_sock *s, void *data)
{
	s->data = data;
}

jv
hub_socket_describe(struct hub *hub, const struct room_sock *s)
{
	if (hub->app.describe == NULL)
		return jv_invalid();
	return hub->app.describe(hub, s);
}

struct room_nsp *
hub_namespace_find(const struct hub *hub, const char *name, size_t len)
{
	return room_nsp_find(&hub->reg, name, len);
}

const char *
hub_namespace_name(const struct room_nsp *nsp, size_t *len)
{
	if (len != NULL)
		*len = nsp->name_len;
	return nsp->name;
}

int
hub_each_socket(const struct hub *hub, const struct room_nsp *nsp,
    const char *room, size_t len,
    int (*fn)(const struct room_sock *s, void *arg), void *arg)
{
	const struct room_sock *s;
	const struct room_member *m;
	const struct room *r;
	int rc;

	(void)hub;
	if (room == NULL) {
		LIST_FOREACH(s, &nsp->socks, nsp_link)
			if ((rc = fn(s, arg)) != 0)
				return rc;
		return 0;
	}
	if ((r = room_find(nsp, room, len)) == NULL)
		return 0;
	TAILQ_FOREACH(m, &r->members, room_link)
		if ((rc = fn(m->key.sock, arg)) != 0)
			return rc;
	return 0;
}

struct match {
	int (*fn)(struct room_sock *s, void *arg);
	void *arg;
};

static int
match_one(struct room_sock *s, void *arg)
{
	struct match *m = arg;

	return m->fn(s, m->arg);
}

size_t
hub_each_match(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    int (*fn)(struct room_sock *s, void *arg), void *arg)
{
	struct match m = { fn, arg };

	return room_deliver_many(&hub->reg, nsp, rooms, nrooms, except,
	    nexcept, match_one, &m);
}

int
hub_name_known(const struct hub *hub, const struct room_nsp *nsp,
    const char *name, size_t len)
{
	const struct room_sock *s;

	if (room_find(nsp, name, len) != NULL)
		return 1;
	/* A session kept for recovery may be in it, and must not miss an
	 * event sent to it while its client is away. */
	if (hub->recovery.stats.sessions > 0)
		return 1;
	s = room_sock_find(&hub->reg, name, len);
	return s != NULL && s->nsp == nsp;
}

int
hub_each_room(const struct hub *hub, const struct room_nsp *nsp,
    int (*fn)(const char *name, size_t len, size_t members, void *arg),
    void *arg)
{
	const struct room *r;
	size_t pos = 0;
	int rc;

	(void)hub;
	while ((r = hashtab_next(&nsp->rooms, &pos)) != NULL)
		if ((rc = fn(r->name, r->name_len, r->nmembers, arg)) != 0)
			return rc;
	return 0;
}

int
hub_each_namespace(const struct hub *hub,
    int (*fn)(const char *name, size_t len, size_t sockets, size_t rooms,
        void *arg),
    void *arg)
{
	const struct room_nsp *nsp;
	size_t pos = 0;
	int rc;

	while ((nsp = hashtab_next(&hub->reg.nsps, &pos)) != NULL)
		if ((rc = fn(nsp->name, nsp->name_len, nsp->nsocks,
		         nsp->rooms.len, arg)) != 0)
			return rc;
	return 0;
}

int
hub_socket_each_room(const struct room_sock *s,
    int (*fn)(const char *name, size_t len, void *arg), void *arg)
{
	const struct room_member *m;
	int rc;

	TAILQ_FOREACH(m, &s->rooms, sock_link)
		if ((rc = fn(m->key.room->name, m->key.room->name_len, arg)) !=
		    0)
			return rc;
	return 0;
}

int
hub_retains(const struct hub *hub)
{
	return retain_enabled(&hub->retain);
}

void
hub_get_stats(const struct hub *hub, struct hub_stats *st)
{
	*st = hub->stats;
	st->retained = hub->retain.stats;
	st->sockets = hub->reg.socks.len;
	st->rooms = hub->reg.nrooms;
	st->namespaces = hub->reg.nsps.len;
}

int
hub_ids_add(struct room_sock *s, void *arg)
{
	struct hub_ids *l = arg;
	void *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		if ((p = realloc(l->ids, cap * sizeof(*l->ids))) == NULL) {
			l->failed = 1;
			return -1;
		}
		l->ids = p;
		l->cap = cap;
	}
	memcpy(l->ids[l->n++], s->id, ROOM_SOCK_ID_LEN + 1);
	return 0;
}

/*
 * Acts on each socket of 'nsp' that 'rooms' but 'except' pick: joins or
 * leaves 'names' (join 1 or 0), or disconnects it (names NULL).
 */
static long
act_on_match(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    const struct room_name *names, size_t nnames, int join)
{
	struct hub_ids l = { 0 };
	struct room_sock *s;
	size_t i, j;

	hub_each_match(hub, nsp, rooms, nrooms, except, nexcept, hub_ids_add,
	    &l);
	if (l.failed) {
		free(l.ids);
		errno = ENOMEM;
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		s = room_sock_find(&hub->reg, l.ids[i], ROOM_SOCK_ID_LEN);
		if (s == NULL || s->nsp != nsp)
			continue; /* gone, through an earlier one's act */
		if (names == NULL) {
			hub_disconnect(hub, s);
			continue;
		}
		for (j = 0; j < nnames; j++)
			if (join)
				hub_join(hub, s, names[j].s, names[j].len);
			else
				hub_leave(hub, s, names[j].s, names[j].len);
	}
	free(l.ids);
	return (long)l.n;
}

long
hub_sockets_join(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept,
    const struct room_name *names, size_t nnames, int join)
{
	return act_on_match(hub, nsp, rooms, nrooms, except, nexcept, names,
	    nnames, join);
}

long
hub_sockets_disconnect(struct hub *hub, struct room_nsp *nsp,
    const struct room_name *rooms, size_t nrooms,
    const struct room_name *except, size_t nexcept)
{
	return act_on_match(hub, nsp, rooms, nrooms, except, nexcept, NULL, 0,
	    0);
}

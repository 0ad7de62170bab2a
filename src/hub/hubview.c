/*
 * hubview.c - the hub's registry as the application sees it (see hub.h):
 * sockets, namespaces and rooms found and listed, per-socket data, stats.
 * Touches no connection and calls no libwebsockets function, so a test of
 * the hub's users links it instead of copying it.
 */
#include "hub.h"

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

void
hub_get_stats(const struct hub *hub, struct hub_stats *st)
{
	*st = hub->stats;
	st->sockets = hub->reg.socks.len;
	st->rooms = hub->reg.nrooms;
	st->namespaces = hub->reg.nsps.len;
}

/*
 * fuzz_shardmsg.c - libFuzzer target for the sharded adapter's messages.
 * Every input is parsed as a message of a shard channel.  One that parses
 * must hold what its type needs; a BROADCAST's packet must be one the
 * hub's own decoder takes; built again by the builder of its type, it
 * must parse to the same type and the same event text; everything is
 * released without a leak.  Anything else aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzcheck.h"
#include "json.h"
#include "shardmsg.h"
#include "sio.h"

#define MAX (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* String rooms of 'a' (borrowed), at most 64; numbers are skipped. */
struct names {
	struct iovec v[64];
	size_t n;
};

static void
names_of(struct names *nm, jv a)
{
	nm->n = 0;
	jv_array_foreach(a, i, e)
	{
		if (jv_get_kind(e) == JV_KIND_STRING && nm->n < 64) {
			/* 'a' holds the string: its bytes outlive 'e'. */
			nm->v[nm->n].iov_base = (void *)jv_string_value(e);
			nm->v[nm->n++].iov_len = (size_t)
			    jv_string_length_bytes(jv_copy(e));
		}
		jv_free(e);
		(void)i;
	}
}

/* Builds 'm' again: 0, or -1 for a type georoomd never builds. */
static int
rebuild(const struct shardmsg *m, struct buf *out)
{
	struct shardmsg_from from = { "0123456789abcdef", 16, "/", 1 };
	struct clustermsg_target to;
	struct clustermsg_emit e;
	struct names r, x;
	char err[128];

	names_of(&r, m->opts_rooms);
	names_of(&x, m->opts_except);
	memset(&to, 0, sizeof(to));
	to.rooms = r.v;
	to.nrooms = r.n;
	to.except = x.v;
	to.nexcept = x.n;
	to.flags = m->flags;
	to.timeout = m->timeout;
	switch (m->type) {
	case SHARDMSG_BROADCAST:
		memset(&e, 0, sizeof(e));
		e.json = m->ev.json;
		e.json_len = m->ev.json_len;
		e.att = m->ev.att;
		e.natt = m->ev.h.attachments;
		e.to = to;
		return shardmsg_broadcast(out, &from, &e, m->request_id,
		    m->request_id_len, err, sizeof(err));
	case SHARDMSG_FETCH_SOCKETS:
		return shardmsg_fetch(out, &from, &to, m->request_id,
		    m->request_id_len);
	case SHARDMSG_DISCONNECT_SOCKETS:
		return shardmsg_disconnect(out, &from, &to, m->close);
	case SHARDMSG_SERVER_SIDE_EMIT:
		return shardmsg_server_emit(out, &from, m->packet,
		    m->request_id, m->request_id_len);
	default:
		return -1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shardmsg m, m2;
	static struct buf out;
	static int ready;
	char err[128];

	if (!ready) {
		shardmsg_init(&m, MAX);
		shardmsg_init(&m2, MAX);
		buf_init(&out, 4 * MAX);
		ready = 1;
	}
	if (shardmsg_parse(&m, data, size, err, sizeof(err)) == -1) {
		check(err[0] != '\0');
		return 0;
	}
	check(jv_get_kind(m.opts_rooms) == JV_KIND_ARRAY &&
	    jv_get_kind(m.opts_except) == JV_KIND_ARRAY);
	if (m.type == SHARDMSG_BROADCAST) {
		check(m.has_packet && m.has_opts);
		fuzz_check_frame(&m.ev);
	}
	if (m.type == SHARDMSG_FETCH_SOCKETS)
		check(m.request_id != NULL);
	buf_reset(&out);
	if (rebuild(&m, &out) == 0) {
		if (shardmsg_parse(&m2, out.data, out.len, err, sizeof(err)) ==
		    -1)
			fuzz_failed(__FILE__, __LINE__, err);
		check(m2.type == m.type);
		if (m.type == SHARDMSG_BROADCAST)
			check(m2.ev.json_len == m.ev.json_len &&
			    memcmp(m2.ev.json, m.ev.json, m.ev.json_len) ==
			        0 &&
			    m2.ev.h.attachments == m.ev.h.attachments);
	}
	return 0;
}

/*
 * fuzz_clustermsg.c - libFuzzer target for the cluster codec.  Every input
 * is read as a broadcast payload and as a request or response.  A
 * broadcast that decodes must be a packet the hub's own decoder takes,
 * must encode back, and, encoded and decoded once more, come out the same
 * (the first round may turn maps that read as placeholders into
 * binaries); everything is released without a leak.  Anything else
 * aborts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clustermsg.h"
#include "fuzzcheck.h"
#include "json.h"
#include "sio.h"

#define MAX (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The rooms as text, numbers as String() writes them. */
struct names {
	struct iovec v[64];
	char text[64][32];
	size_t n;
};

static int
names(struct clustermsg_rooms r, struct names *nm)
{
	struct clustermsg_room room;

	nm->n = 0;
	while (clustermsg_rooms_next(&r, &room)) {
		if (nm->n == 64)
			return -1;
		if (room.is_number) {
			memcpy(nm->text[nm->n], room.name, room.len);
			nm->v[nm->n].iov_base = nm->text[nm->n];
		} else {
			nm->v[nm->n].iov_base = (void *)room.name;
		}
		nm->v[nm->n++].iov_len = room.len;
	}
	return 0;
}

static int
same_names(const struct names *a, const struct names *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->v[i].iov_len != b->v[i].iov_len ||
		    memcmp(a->v[i].iov_base, b->v[i].iov_base,
		        a->v[i].iov_len) != 0)
			return 0;
	}
	return 1;
}

static int
same_event(const struct clustermsg_event *a, const struct clustermsg_event *b)
{
	if (a->h.type != b->h.type || a->h.attachments != b->h.attachments ||
	    a->h.nsp_len != b->h.nsp_len ||
	    memcmp(a->h.nsp, b->h.nsp, a->h.nsp_len) != 0 ||
	    a->json_len != b->json_len ||
	    memcmp(a->json, b->json, a->json_len) != 0)
		return 0;
	for (unsigned i = 0; i < a->h.attachments; i++) {
		if (a->att[i].iov_len != b->att[i].iov_len ||
		    memcmp(a->att[i].iov_base, b->att[i].iov_base,
		        a->att[i].iov_len) != 0)
			return 0;
	}
	return 1;
}

/* Encodes 'm' back into 'out': 0, or -1 when it has too many rooms. */
static int
reencode(const struct clustermsg_bcast *m, struct buf *out,
    struct names *rooms, struct names *except)
{
	struct clustermsg_emit e;
	char err[128];

	if (names(m->rooms, rooms) == -1 || names(m->except, except) == -1)
		return -1;
	memset(&e, 0, sizeof(e));
	e.uid = m->uid;
	e.uid_len = m->uid_len;
	e.nsp = m->ev.h.nsp;
	e.nsp_len = m->ev.h.nsp_len;
	e.json = m->ev.json;
	e.json_len = m->ev.json_len;
	e.att = m->ev.att;
	e.natt = m->ev.h.attachments;
	e.to.rooms = rooms->v;
	e.to.nrooms = rooms->n;
	e.to.except = except->v;
	e.to.nexcept = except->n;
	e.to.flags = m->flags;
	e.to.timeout = m->timeout;
	buf_reset(out);
	check(clustermsg_encode(out, &e, err, sizeof(err)) == 0);
	return 0;
}

static void
broadcast(const uint8_t *data, size_t size)
{
	static struct names r1, x1, r2, x2, r3, x3;
	struct clustermsg_bcast a, b, c;
	struct buf out1, out2;
	char err[128];

	clustermsg_bcast_init(&a, MAX);
	clustermsg_bcast_init(&b, MAX);
	clustermsg_bcast_init(&c, MAX);
	buf_init(&out1, 8 * MAX);
	buf_init(&out2, 8 * MAX);
	err[0] = '\0';
	if (clustermsg_decode(&a, data, size, err, sizeof(err)) != 0) {
		check(err[0] != '\0' && a.uid == NULL && a.ev.json_len == 0);
		goto out;
	}
	check(a.uid >= (const char *)data &&
	    a.uid + a.uid_len <= (const char *)data + size);
	for (unsigned i = 0; i < a.ev.h.attachments; i++)
		check((const uint8_t *)a.ev.att[i].iov_base >= data &&
		    (const uint8_t *)a.ev.att[i].iov_base +
		            a.ev.att[i].iov_len <=
		        data + size);
	fuzz_check_frame(&a.ev);
	if (reencode(&a, &out1, &r1, &x1) == -1)
		goto out;
	check(
	    clustermsg_decode(&b, out1.data, out1.len, err, sizeof(err)) == 0);
	check(reencode(&b, &out2, &r2, &x2) == 0);
	check(
	    clustermsg_decode(&c, out2.data, out2.len, err, sizeof(err)) == 0);
	names(c.rooms, &r3);
	names(c.except, &x3);
	/* The envelope survives the first round; the event the second. */
	check(a.uid_len == b.uid_len && memcmp(a.uid, b.uid, a.uid_len) == 0);
	check(a.flags == b.flags && b.flags == c.flags);
	check(
	    a.timeout == b.timeout || (isnan(a.timeout) && isnan(b.timeout)));
	check(same_names(&r1, &r2) && same_names(&x1, &x2));
	check(same_names(&r2, &r3) && same_names(&x2, &x3));
	check(a.ev.h.nsp_len == b.ev.h.nsp_len);
	check(same_event(&b.ev, &c.ev));
	check(out1.len == out2.len &&
	    memcmp(out1.data, out2.data, out1.len) == 0);
out:
	buf_release(&out1);
	buf_release(&out2);
	clustermsg_bcast_release(&a);
	clustermsg_bcast_release(&b);
	clustermsg_bcast_release(&c);
}

static void
request(const uint8_t *data, size_t size)
{
	struct clustermsg_req r;
	struct buf b;
	char err[128];

	clustermsg_req_init(&r, MAX);
	buf_init(&b, 8 * MAX);
	err[0] = '\0';
	if (clustermsg_req_parse(&r, data, size, err, sizeof(err)) != 0) {
		check(err[0] != '\0' && !jv_is_valid(r.body));
		goto out;
	}
	check(jv_get_kind(r.body) == JV_KIND_OBJECT);
	check(mpjson_put_jv_json(&b, r.body) == 0);
	check(json_check(b.data, b.len, 200) == 0);
	if (r.has_packet) {
		check(json_check(r.ev.json, r.ev.json_len,
		          SIO_JSON_DEPTH_MAX) == 0);
		if (r.type == CLUSTERMSG_BROADCAST)
			fuzz_check_frame(&r.ev);
	}
out:
	buf_release(&b);
	clustermsg_req_release(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	broadcast(data, size);
	request(data, size);
	return 0;
}

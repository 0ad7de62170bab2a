/*
 * clustermsg.c - the messages between the nodes of a Socket.IO cluster, as
 * @socket.io/redis-adapter 8.x and @socket.io/redis-emitter write them.
 *
 * A broadcast is read straight from its MessagePack: every node decodes
 * every broadcast, and the event's text goes out to clients as it is
 * written here.  Requests are rare, and small but for their packet: they
 * become libjq values, whichever form they came in.
 */
#include "clustermsg.h"
#include "errbuf.h"
#include "json.h"
#include "jsnum.h"
#include "jsonv.h"
#include "jsonw.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Nesting allowed around an event's data: a request's body, opts, ... */
#define DEPTH_MAX (SIO_JSON_DEPTH_MAX + 4)

/* The reason for an errno left by the mpjson or buf functions. */
static int
fail_errno(char *err, size_t errlen)
{
	int e = errno;

	return errbuf_fail(e, err, errlen, "%s", mpack_strerror(e));
}

static void
cut(struct buf *b, size_t len)
{
	if (b->data == NULL)
		return;
	b->len = len;
	b->data[len] = '\0';
}

/* A cap times 'k', or the largest there is. */
static size_t
times(size_t max, size_t k)
{
	return max > (SIZE_MAX - 1) / k ? SIZE_MAX - 1 : max * k;
}

/* Channels */

static const char *
chan_middle(enum clustermsg_chan kind)
{
	switch (kind) {
	case CLUSTERMSG_CHAN_REQUEST:
		return "-request#";
	case CLUSTERMSG_CHAN_RESPONSE:
		return "-response#";
	default:
		return "#";
	}
}

int
clustermsg_channel(struct buf *out, enum clustermsg_chan kind, const char *key,
    size_t key_len, const char *nsp, size_t nsp_len, const char *tail,
    size_t tail_len)
{
	size_t start = out->len;

	if (tail != NULL && kind == CLUSTERMSG_CHAN_REQUEST) {
		errno = EINVAL;
		return -1;
	}
	if (buf_append(out, key, key_len) == -1 ||
	    buf_appends(out, chan_middle(kind)) == -1 ||
	    buf_append(out, nsp, nsp_len) == -1 ||
	    buf_append(out, "#", 1) == -1)
		goto fail;
	if (tail != NULL &&
	    (buf_append(out, tail, tail_len) == -1 ||
	        buf_append(out, "#", 1) == -1))
		goto fail;
	return 0;
fail:
	cut(out, start);
	return -1;
}

static int
append_glob_escaped(struct buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr("*?[]\\", s[i]) != NULL && s[i] != '\0' &&
		    buf_append(out, "\\", 1) == -1)
			return -1;
		if (buf_append(out, s + i, 1) == -1)
			return -1;
	}
	return 0;
}

int
clustermsg_pattern(struct buf *out, const char *key, size_t key_len,
    const char *nsp, size_t nsp_len)
{
	size_t start = out->len;

	if (append_glob_escaped(out, key, key_len) == -1 ||
	    buf_append(out, "#", 1) == -1 ||
	    append_glob_escaped(out, nsp, nsp_len) == -1 ||
	    buf_append(out, "#*", 2) == -1) {
		cut(out, start);
		return -1;
	}
	return 0;
}

/* Takes 'n' bytes equal to 's' from the front of *p; 1 if they were. */
static int
eat(const char **p, const char *end, const char *s, size_t n)
{
	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return 0;
	*p += n;
	return 1;
}

/* The tail after a channel's prefix, up to the final '#'. */
static int
chan_tail(const char *p, const char *end, const char **tail, size_t *tail_len)
{
	*tail = NULL;
	*tail_len = 0;
	if (p == end)
		return 0;
	if (end[-1] != '#') {
		errno = EINVAL;
		return -1;
	}
	if (end - 1 > p) {
		*tail = p;
		*tail_len = (size_t)(end - 1 - p);
	}
	return 0;
}

int
clustermsg_channel_room(const char *chan, size_t len, const char *key,
    size_t key_len, const char *nsp, size_t nsp_len, const char **room,
    size_t *room_len)
{
	const char *p = chan, *end = chan + len;

	if (!eat(&p, end, key, key_len) || !eat(&p, end, "#", 1) ||
	    !eat(&p, end, nsp, nsp_len) || !eat(&p, end, "#", 1)) {
		errno = EINVAL;
		return -1;
	}
	return chan_tail(p, end, room, room_len);
}

int
clustermsg_channel_parse(const char *chan, size_t len, const char *key,
    size_t key_len, struct clustermsg_chaninfo *ci)
{
	const char *p = chan, *end = chan + len, *hash;

	memset(ci, 0, sizeof(*ci));
	if (!eat(&p, end, key, key_len))
		goto fail;
	if (eat(&p, end, "#", 1))
		ci->kind = CLUSTERMSG_CHAN_BROADCAST;
	else if (eat(&p, end, "-request#", 9))
		ci->kind = CLUSTERMSG_CHAN_REQUEST;
	else if (eat(&p, end, "-response#", 10))
		ci->kind = CLUSTERMSG_CHAN_RESPONSE;
	else
		goto fail;
	if ((hash = memchr(p, '#', (size_t)(end - p))) == NULL)
		goto fail;
	ci->nsp = p;
	ci->nsp_len = (size_t)(hash - p);
	if (chan_tail(hash + 1, end, &ci->tail, &ci->tail_len) == -1)
		goto fail;
	if (ci->kind == CLUSTERMSG_CHAN_REQUEST && hash + 1 != end)
		goto fail;
	return 0;
fail:
	memset(ci, 0, sizeof(*ci));
	errno = EINVAL;
	return -1;
}

/* Writing broadcasts */

static int
put_key(struct buf *out, const char *key)
{
	return mpack_put_str(out, key, strlen(key));
}

static int
put_room_list(struct buf *out, const struct iovec *v, size_t n, char *err,
    size_t errlen)
{
	if (n > 0 && v == NULL)
		return errbuf_fail(EINVAL, err, errlen, "rooms missing");
	if (mpack_put_array(out, n) == -1)
		return fail_errno(err, errlen);
	for (size_t i = 0; i < n; i++) {
		if (json_utf8_check(v[i].iov_base, v[i].iov_len) == -1)
			return errbuf_fail(EINVAL, err, errlen,
			    "room name is not UTF-8");
		if (mpack_put_str(out, v[i].iov_base, v[i].iov_len) == -1)
			return fail_errno(err, errlen);
	}
	return 0;
}

/* The flags in the order socket.io-adapter's BroadcastFlags has them. */
static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "volatile", CLUSTERMSG_F_VOLATILE },
	{ "compress", CLUSTERMSG_F_COMPRESS | CLUSTERMSG_F_NOCOMPRESS },
	{ "local", CLUSTERMSG_F_LOCAL },
	{ "broadcast", CLUSTERMSG_F_BROADCAST },
	{ "binary", CLUSTERMSG_F_BINARY },
	{ "timeout", CLUSTERMSG_F_TIMEOUT },
	{ "expectSingleResponse", CLUSTERMSG_F_SINGLE },
};
#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

static int
put_flags(struct buf *out, unsigned flags, double timeout, char *err,
    size_t errlen)
{
	size_t n = 0, i;
	int rc = 0;

	if ((flags & CLUSTERMSG_F_COMPRESS) &&
	    (flags & CLUSTERMSG_F_NOCOMPRESS))
		return errbuf_fail(EINVAL, err, errlen,
		    "compress both true and false");
	for (i = 0; i < NFLAGS; i++)
		n += (flags & flag_names[i].flag) != 0;
	if (mpack_put_map(out, n) == -1)
		return fail_errno(err, errlen);
	for (i = 0; rc == 0 && i < NFLAGS; i++) {
		unsigned f = flags & flag_names[i].flag;

		if (f == 0)
			continue;
		rc = put_key(out, flag_names[i].name);
		if (rc == 0 && f == CLUSTERMSG_F_TIMEOUT)
			rc = mpack_put_number(out, timeout);
		else if (rc == 0)
			rc = mpack_put_bool(out, f != CLUSTERMSG_F_NOCOMPRESS);
	}
	return rc == -1 ? fail_errno(err, errlen) : 0;
}

int
clustermsg_flags_json(struct buf *out, unsigned flags, double timeout)
{
	struct jsonw w;

	jsonw_begin(&w, out);
	if ((flags & CLUSTERMSG_F_COMPRESS) &&
	    (flags & CLUSTERMSG_F_NOCOMPRESS) && w.rc == 0) {
		errno = EINVAL;
		w.rc = -1;
	}
	for (size_t i = 0; i < NFLAGS; i++) {
		unsigned f = flags & flag_names[i].flag;

		if (f == 0)
			continue;
		jsonw_key(&w, flag_names[i].name);
		if (f == CLUSTERMSG_F_TIMEOUT)
			jsonw_num(&w, timeout);
		else
			jsonw_raw(&w,
			    f != CLUSTERMSG_F_NOCOMPRESS ? "true" : "false");
	}
	return jsonw_end(&w);
}

/* {rooms, except[, flags]}, in the adapter's order. */
static int put_opts(struct buf *out, const struct clustermsg_target *to,
    int flags, char *err, size_t errlen);

int
clustermsg_put_opts(struct buf *out, const struct clustermsg_target *to,
    char *err, size_t errlen)
{
	return put_opts(out, to, 1, err, errlen);
}

static int
put_opts(struct buf *out, const struct clustermsg_target *to, int flags,
    char *err, size_t errlen)
{
	if (mpack_put_map(out, flags ? 3 : 2) == -1 ||
	    put_key(out, "rooms") == -1)
		return fail_errno(err, errlen);
	if (put_room_list(out, to->rooms, to->nrooms, err, errlen) == -1)
		return -1;
	if (put_key(out, "except") == -1)
		return fail_errno(err, errlen);
	if (put_room_list(out, to->except, to->nexcept, err, errlen) == -1)
		return -1;
	if (!flags)
		return 0;
	if (put_key(out, "flags") == -1)
		return fail_errno(err, errlen);
	return put_flags(out, to->flags, to->timeout, err, errlen);
}

int
clustermsg_put_packet(struct buf *out, const struct clustermsg_emit *e,
    int with_nsp, char *err, size_t errlen)
{
	struct json_scan s;

	if (with_nsp && sio_nsp_check(e->nsp, e->nsp_len, err, errlen) == -1) {
		errno = EINVAL;
		return -1;
	}
	json_scan_init(&s, e->json, e->json_len);
	json_scan_skip_space(&s);
	if (json_scan_peek(&s) != '[')
		return errbuf_fail(EINVAL, err, errlen,
		    "event data is not an array");
	if (e->natt > 0 && e->att == NULL)
		return errbuf_fail(EINVAL, err, errlen, "attachments missing");
	if (mpack_put_map(out, with_nsp ? 3 : 2) == -1 ||
	    put_key(out, "type") == -1 ||
	    mpack_put_number(out, SIO_EVENT) == -1 ||
	    put_key(out, "data") == -1)
		return fail_errno(err, errlen);
	/* Placeholders are read in binary packets only, as
	 * socket.io-parser reads them. */
	if (mpjson_from_json(out, e->json, e->json_len,
	        e->natt > 0 ? e->att : NULL, e->natt, SIO_JSON_DEPTH_MAX, err,
	        errlen) == -1)
		return -1;
	if (with_nsp &&
	    (put_key(out, "nsp") == -1 ||
	        mpack_put_str(out, e->nsp, e->nsp_len) == -1))
		return fail_errno(err, errlen);
	return 0;
}

int
clustermsg_encode(struct buf *out, const struct clustermsg_emit *e, char *err,
    size_t errlen)
{
	size_t start = out->len;

	if (mpack_put_array(out, 3) == -1 ||
	    mpack_put_str(out, e->uid, e->uid_len) == -1) {
		fail_errno(err, errlen);
		goto fail;
	}
	if (clustermsg_put_packet(out, e, 1, err, errlen) == -1 ||
	    put_opts(out, &e->to, 1, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	cut(out, start);
	return -1;
}

/* Reading broadcasts */

static int
mp_next(struct mpack_cur *c, struct mpack_item *it, char *err, size_t errlen)
{
	if (mpack_next(c, it) == -1)
		return fail_errno(err, errlen);
	return 0;
}

static int
mp_skip(struct mpack_cur *c, int depth, char *err, size_t errlen)
{
	if (mpack_skip(c, depth) == -1)
		return fail_errno(err, errlen);
	return 0;
}

/* Reads a value whole: a container's elements are stepped over. */
static int
mp_value(struct mpack_cur *c, struct mpack_item *it, char *err, size_t errlen)
{
	struct mpack_cur at = *c;

	if (mp_next(c, it, err, errlen) == -1)
		return -1;
	if (it->kind == MPACK_ARRAY || it->kind == MPACK_MAP) {
		*c = at;
		return mp_skip(c, DEPTH_MAX, err, errlen);
	}
	return 0;
}

/* A map key, which must be a string. */
static int
mp_key(struct mpack_cur *c, struct mpack_item *k, const char *what, char *err,
    size_t errlen)
{
	if (mp_next(c, k, err, errlen) == -1)
		return -1;
	if (k->kind != MPACK_STR)
		return errbuf_fail(EINVAL, err, errlen,
		    "%s key is not a string", what);
	return 0;
}

static int
key_is(const struct mpack_item *k, const char *s)
{
	return k->len == strlen(s) && memcmp(k->str, s, k->len) == 0;
}

/* As JavaScript's Boolean(v), for a value read by mp_value(). */
static int
truthy(const struct mpack_item *it)
{
	switch (it->kind) {
	case MPACK_NIL:
		return 0;
	case MPACK_BOOL:
		return it->b;
	case MPACK_NUMBER:
		return it->num != 0 && !isnan(it->num);
	case MPACK_STR:
		return it->len > 0;
	default:
		return 1;
	}
}

static int
whole(double d, double max)
{
	return d >= 0 && d <= max && floor(d) == d;
}

void
clustermsg_event_init(struct clustermsg_event *ev, size_t max)
{
	memset(&ev->h, 0, sizeof(ev->h));
	ev->h.type = SIO_EVENT;
	ev->h.nsp = "/";
	ev->h.nsp_len = 1;
	ev->h.ack_id = SIO_NO_ACK;
	ev->json = "";
	ev->json_len = 0;
	buf_init(&ev->text, max);
	/* Ordering a map's keys takes 32 bytes a pair of 2 bytes or more. */
	buf_init(&ev->scratch, times(max, 16) + 4096);
	buf_init(&ev->pack, times(max, 4) + 4096);
}

void
clustermsg_event_reset(struct clustermsg_event *ev)
{
	memset(&ev->h, 0, sizeof(ev->h));
	ev->h.type = SIO_EVENT;
	ev->h.nsp = "/";
	ev->h.nsp_len = 1;
	ev->h.ack_id = SIO_NO_ACK;
	ev->json = "";
	ev->json_len = 0;
	buf_reset(&ev->text);
	buf_reset(&ev->scratch);
	buf_reset(&ev->pack);
}

void
clustermsg_event_release(struct clustermsg_event *ev)
{
	clustermsg_event_reset(ev);
	buf_release(&ev->text);
	buf_release(&ev->scratch);
	buf_release(&ev->pack);
}

/* Points the event at its text, once it is written. */
static void
event_text(struct clustermsg_event *ev, unsigned natt, enum sio_type plain,
    enum sio_type binary)
{
	ev->json = ev->text.data != NULL ? ev->text.data : "";
	ev->json_len = ev->text.len;
	ev->h.attachments = natt;
	ev->h.type = natt > 0 ? binary : plain;
}

/* The data array: an event name first, as socket.io-client requires. */
static int
check_event_data(struct mpack_cur d, char *err, size_t errlen)
{
	struct mpack_item it;

	if (mp_next(&d, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_ARRAY || it.len == 0)
		return errbuf_fail(EINVAL, err, errlen,
		    "event data is not a non-empty array");
	if (mp_next(&d, &it, err, errlen) == -1)
		return -1;
	/* NaN and infinities reach clients as null, which they refuse. */
	if (it.kind == MPACK_NUMBER && isfinite(it.num))
		return 0;
	if (it.kind != MPACK_STR)
		return errbuf_fail(EINVAL, err, errlen,
		    "event name is neither a string nor a number");
	if (sio_event_reserved(it.str, it.len))
		return errbuf_fail(EINVAL, err, errlen, "reserved event name");
	return 0;
}

int
clustermsg_event_read(struct clustermsg_event *ev, struct mpack_cur *c,
    char *err, size_t errlen)
{
	struct mpack_item it, k, v, type = { .kind = MPACK_NIL };
	struct mpack_item nsp = type, id = type;
	struct mpack_cur data = { NULL, NULL };
	struct mpjson_att att = { ev->att, 0, SIO_ATTACHMENTS_MAX };
	int has_nsp = 0;

	if (mp_next(c, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_MAP)
		return errbuf_fail(EINVAL, err, errlen, "packet is not a map");
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(c, &k, "packet", err, errlen) == -1)
			return -1;
		if (key_is(&k, "data")) {
			data = *c;
			if (mp_skip(c, SIO_JSON_DEPTH_MAX, err, errlen) == -1)
				return -1;
			continue;
		}
		if (mp_value(c, &v, err, errlen) == -1)
			return -1;
		if (key_is(&k, "type")) {
			type = v;
		} else if (key_is(&k, "nsp")) {
			has_nsp = 1;
			nsp = v;
		} else if (key_is(&k, "id")) {
			id = v;
		}
	}
	if (type.kind != MPACK_NUMBER || type.num != SIO_EVENT)
		return errbuf_fail(EINVAL, err, errlen,
		    "packet type is not 2 (EVENT)");
	/* Absent is "/", as the adapter reads it; null is no namespace. */
	if (has_nsp) {
		if (nsp.kind != MPACK_STR)
			return errbuf_fail(EINVAL, err, errlen,
			    "packet nsp is not a string");
		if (sio_nsp_check(nsp.str, nsp.len, err, errlen) == -1) {
			errno = EINVAL;
			return -1;
		}
		ev->h.nsp = nsp.str;
		ev->h.nsp_len = nsp.len;
	}
	/* socket.io-parser writes an id unless it is null or undefined. */
	if (id.kind != MPACK_NIL) {
		if (id.kind != MPACK_NUMBER ||
		    !whole(id.num, (double)SIO_ACK_MAX))
			return errbuf_fail(EINVAL, err, errlen,
			    "packet id is not an ack id");
		ev->h.ack_id = (int64_t)id.num;
	}
	if (data.p == NULL)
		return errbuf_fail(EINVAL, err, errlen, "packet has no data");
	if (check_event_data(data, err, errlen) == -1)
		return -1;
	buf_reset(&ev->text);
	if (mpjson_to_json(&data, &ev->text, &ev->scratch, &att,
	        SIO_JSON_DEPTH_MAX, err, errlen) == -1)
		return -1;
	event_text(ev, att.n, SIO_EVENT, SIO_BINARY_EVENT);
	return 0;
}

/* A list of rooms: nil (none) or an array of strings and numbers. */
static int
read_rooms(struct mpack_cur *c, struct clustermsg_rooms *r, const char *what,
    char *err, size_t errlen)
{
	struct mpack_item it;

	if (mp_next(c, &it, err, errlen) == -1)
		return -1;
	r->n = 0;
	if (it.kind == MPACK_NIL)
		return 0;
	if (it.kind != MPACK_ARRAY)
		return errbuf_fail(EINVAL, err, errlen, "%s is not an array",
		    what);
	r->cur = *c;
	r->n = it.len;
	for (size_t i = 0; i < r->n; i++) {
		if (mp_next(c, &it, err, errlen) == -1)
			return -1;
		if (it.kind == MPACK_NUMBER)
			continue;
		if (it.kind != MPACK_STR)
			return errbuf_fail(EINVAL, err, errlen,
			    "%s holds neither a string nor a number", what);
		if (json_utf8_check(it.str, it.len) == -1)
			return errbuf_fail(EINVAL, err, errlen,
			    "%s holds a name that is not UTF-8", what);
	}
	return 0;
}

/* One flag, as the adapter's receiving side would take it. */
static void
set_flag(const struct mpack_item *k, const struct mpack_item *v,
    unsigned *flags, double *timeout)
{
	size_t i;

	for (i = 0; i < NFLAGS; i++) {
		if (key_is(k, flag_names[i].name))
			break;
	}
	if (i == NFLAGS)
		return; /* flags of later versions mean nothing here */
	*flags &= ~flag_names[i].flag;
	switch (flag_names[i].flag) {
	case CLUSTERMSG_F_COMPRESS | CLUSTERMSG_F_NOCOMPRESS:
		/* engine.io compresses unless compress is false. */
		if (v->kind == MPACK_BOOL)
			*flags |= v->b ? CLUSTERMSG_F_COMPRESS :
			                 CLUSTERMSG_F_NOCOMPRESS;
		break;
	case CLUSTERMSG_F_TIMEOUT:
		if (v->kind == MPACK_NUMBER) {
			*flags |= CLUSTERMSG_F_TIMEOUT;
			*timeout = v->num;
		}
		break;
	default:
		if (truthy(v))
			*flags |= flag_names[i].flag;
		break;
	}
}

static int
read_flags(struct mpack_cur *c, unsigned *flags, double *timeout, char *err,
    size_t errlen)
{
	struct mpack_item it, k, v;

	*flags = 0;
	*timeout = 0;
	if (mp_next(c, &it, err, errlen) == -1)
		return -1;
	if (it.kind == MPACK_NIL)
		return 0;
	if (it.kind != MPACK_MAP)
		return errbuf_fail(EINVAL, err, errlen, "flags is not a map");
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(c, &k, "flags", err, errlen) == -1 ||
		    mp_value(c, &v, err, errlen) == -1)
			return -1;
		set_flag(&k, &v, flags, timeout);
	}
	return 0;
}

/* opts {rooms, except, flags} at the cursor. */
static int
decode_opts(struct clustermsg_rooms *rooms, struct clustermsg_rooms *except,
    unsigned *flags, double *timeout, struct mpack_cur *c, char *err,
    size_t errlen)
{
	struct mpack_item it, k;

	if (mp_next(c, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_MAP)
		return errbuf_fail(EINVAL, err, errlen, "opts is not a map");
	for (size_t i = 0; i < it.len; i++) {
		int rc;

		if (mp_key(c, &k, "opts", err, errlen) == -1)
			return -1;
		if (key_is(&k, "rooms"))
			rc = read_rooms(c, rooms, "rooms", err, errlen);
		else if (key_is(&k, "except"))
			rc = read_rooms(c, except, "except", err, errlen);
		else if (key_is(&k, "flags"))
			rc = read_flags(c, flags, timeout, err, errlen);
		else
			rc = mp_skip(c, DEPTH_MAX, err, errlen);
		if (rc == -1)
			return -1;
	}
	return 0;
}

void
clustermsg_bcast_init(struct clustermsg_bcast *m, size_t max)
{
	m->uid = NULL;
	m->uid_len = 0;
	memset(&m->rooms, 0, sizeof(m->rooms));
	memset(&m->except, 0, sizeof(m->except));
	m->flags = 0;
	m->timeout = 0;
	clustermsg_event_init(&m->ev, max);
}

void
clustermsg_bcast_release(struct clustermsg_bcast *m)
{
	clustermsg_event_release(&m->ev);
	m->uid = NULL;
	m->uid_len = 0;
	memset(&m->rooms, 0, sizeof(m->rooms));
	memset(&m->except, 0, sizeof(m->except));
}

static void
bcast_reset(struct clustermsg_bcast *m)
{
	clustermsg_event_reset(&m->ev);
	m->uid = NULL;
	m->uid_len = 0;
	memset(&m->rooms, 0, sizeof(m->rooms));
	memset(&m->except, 0, sizeof(m->except));
	m->flags = 0;
	m->timeout = 0;
}

int
clustermsg_decode(struct clustermsg_bcast *m, const void *payload, size_t len,
    char *err, size_t errlen)
{
	struct mpack_item it, uid;
	struct mpack_cur c;

	bcast_reset(m);
	mpack_cur_init(&c, payload, len);
	if (mp_next(&c, &it, err, errlen) == -1)
		goto fail;
	if (it.kind != MPACK_ARRAY || it.len < 3) {
		errbuf_fail(EINVAL, err, errlen,
		    "payload is not an array [uid, packet, opts]");
		goto fail;
	}
	if (mp_value(&c, &uid, err, errlen) == -1)
		goto fail;
	if (uid.kind != MPACK_STR || json_utf8_check(uid.str, uid.len)) {
		errbuf_fail(EINVAL, err, errlen, "uid is not a UTF-8 string");
		goto fail;
	}
	if (clustermsg_event_read(&m->ev, &c, err, errlen) == -1 ||
	    decode_opts(&m->rooms, &m->except, &m->flags, &m->timeout, &c, err,
	        errlen) == -1)
		goto fail;
	for (size_t i = 3; i < it.len; i++) {
		if (mp_skip(&c, DEPTH_MAX, err, errlen) == -1)
			goto fail;
	}
	if (c.p != c.end) {
		errbuf_fail(EINVAL, err, errlen, "bytes after the payload");
		goto fail;
	}
	m->uid = uid.str;
	m->uid_len = uid.len;
	return 0;
fail:
	bcast_reset(m);
	return -1;
}

static void
room_number(struct clustermsg_room *room, double d)
{
	int n = jsnum_format(d, room->num, sizeof(room->num));

	room->is_number = 1;
	room->number = d;
	room->name = room->num;
	room->len = (size_t)n < sizeof(room->num) ? (size_t)n : 0;
}

int
clustermsg_rooms_next(struct clustermsg_rooms *r, struct clustermsg_room *room)
{
	struct mpack_item it;

	memset(room, 0, sizeof(*room));
	room->name = "";
	if (r->n == 0 || mpack_next(&r->cur, &it) == -1)
		return 0;
	r->n--;
	if (it.kind == MPACK_NUMBER) {
		room_number(room, it.num);
	} else {
		room->name = it.str;
		room->len = it.len;
	}
	return 1;
}

int
clustermsg_room_from_jv(jv v, struct clustermsg_room *room)
{
	memset(room, 0, sizeof(*room));
	room->name = "";
	switch (jv_get_kind(v)) {
	case JV_KIND_STRING:
		room->name = jv_string_value(v);
		room->len = (size_t)jv_string_length_bytes(jv_copy(v));
		return 0;
	case JV_KIND_NUMBER:
		room_number(room, jv_number_value(v));
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* Requests and responses, read */

/* Every field before the event zeroed, and each value invalid (none). */
static void
req_blank(struct clustermsg_req *r)
{
	memset(r, 0, offsetof(struct clustermsg_req, ev));
	r->type = CLUSTERMSG_NONE;
	r->body = r->room = r->rooms = jv_invalid();
	r->opts_rooms = r->opts_except = jv_invalid();
	r->data = r->sockets = jv_invalid();
}

void
clustermsg_req_init(struct clustermsg_req *r, size_t max)
{
	req_blank(r);
	clustermsg_event_init(&r->ev, max);
}

static void
req_clear(struct clustermsg_req *r)
{
	jv_free(r->body);
	jv_free(r->room);
	jv_free(r->rooms);
	jv_free(r->opts_rooms);
	jv_free(r->opts_except);
	jv_free(r->data);
	jv_free(r->sockets);
	req_blank(r);
	clustermsg_event_reset(&r->ev);
}

void
clustermsg_req_release(struct clustermsg_req *r)
{
	req_clear(r);
	clustermsg_event_release(&r->ev);
}

jv
clustermsg_member(jv body, const char *key)
{
	jv v = jv_object_get(jv_copy(body), jv_string(key));

	if (jv_get_kind(v) == JV_KIND_NULL) {
		jv_free(v);
		return jv_invalid();
	}
	return v;
}

/* A type, as a number 'v' (borrowed) holds it, or -2 when none can. */
static int
type_of(jv v)
{
	double d;

	if (!jv_is_valid(v))
		return CLUSTERMSG_NONE;
	if (jv_get_kind(v) != JV_KIND_NUMBER)
		return -2;
	d = jv_number_value(v);
	return whole(d, INT_MAX) ? (int)d : -2;
}

int
clustermsg_member_string(jv body, const char *key, const char **s, size_t *len,
    char *err, size_t errlen)
{
	jv v = clustermsg_member(body, key);

	*s = NULL;
	*len = 0;
	if (!jv_is_valid(v)) {
		jv_free(v);
		return 0;
	}
	if (jv_get_kind(v) != JV_KIND_STRING) {
		jv_free(v);
		return errbuf_fail(EINVAL, err, errlen, "%s is not a string",
		    key);
	}
	/* The body holds the string: its bytes outlive this reference. */
	*s = jv_string_value(v);
	*len = (size_t)jv_string_length_bytes(jv_copy(v));
	jv_free(v);
	return 0;
}

static int
is_room(jv v)
{
	jv_kind k = jv_get_kind(v);

	return k == JV_KIND_STRING || k == JV_KIND_NUMBER;
}

int
clustermsg_member_rooms(jv from, const char *key, const char *what, jv *out,
    char *err, size_t errlen)
{
	jv v = clustermsg_member(from, key);
	int ok = 1;

	*out = jv_invalid();
	if (!jv_is_valid(v)) {
		jv_free(v);
		return 0;
	}
	if (jv_get_kind(v) != JV_KIND_ARRAY) {
		jv_free(v);
		return errbuf_fail(EINVAL, err, errlen, "%s is not an array",
		    what);
	}
	jv_array_foreach(v, i, e)
	{
		ok = ok && is_room(e);
		jv_free(e);
		(void)i;
	}
	if (!ok) {
		jv_free(v);
		return errbuf_fail(EINVAL, err, errlen,
		    "%s holds neither a string nor a number", what);
	}
	*out = v;
	return 0;
}

void
clustermsg_flags_from_jv(jv flags, unsigned *out, double *timeout)
{
	struct mpack_item k, v;

	*out = 0;
	*timeout = 0;
	if (jv_get_kind(flags) != JV_KIND_OBJECT)
		return;
	jv_object_foreach(flags, key, val)
	{
		memset(&k, 0, sizeof(k));
		memset(&v, 0, sizeof(v));
		k.kind = MPACK_STR;
		k.str = jv_string_value(key);
		k.len = (size_t)jv_string_length_bytes(jv_copy(key));
		switch (jv_get_kind(val)) {
		case JV_KIND_NULL:
			v.kind = MPACK_NIL;
			break;
		case JV_KIND_TRUE:
		case JV_KIND_FALSE:
			v.kind = MPACK_BOOL;
			v.b = jv_get_kind(val) == JV_KIND_TRUE;
			break;
		case JV_KIND_NUMBER:
			v.kind = MPACK_NUMBER;
			v.num = jv_number_value(val);
			break;
		case JV_KIND_STRING:
			v.kind = MPACK_STR;
			v.len = (size_t)jv_string_length_bytes(jv_copy(val));
			break;
		default:
			v.kind = MPACK_MAP;
			break;
		}
		set_flag(&k, &v, out, timeout);
		jv_free(key);
		jv_free(val);
	}
}

int
clustermsg_truthy(jv v)
{
	switch (jv_get_kind(v)) {
	case JV_KIND_INVALID:
	case JV_KIND_NULL:
	case JV_KIND_FALSE:
		return 0;
	case JV_KIND_NUMBER:
		return jv_number_value(v) != 0 && !isnan(jv_number_value(v));
	case JV_KIND_STRING:
		return jv_string_length_bytes(jv_copy(v)) > 0;
	default:
		return 1;
	}
}

/* The fields of r->body, read and checked. */
static int
req_fields(struct clustermsg_req *r, char *err, size_t errlen)
{
	jv v, opts;

	v = clustermsg_member(r->body, "type");
	r->type = type_of(v);
	jv_free(v);
	if (r->type == -2)
		return errbuf_fail(EINVAL, err, errlen,
		    "type is not a whole number");
	if (clustermsg_member_string(r->body, "requestId", &r->request_id,
	        &r->request_id_len, err, errlen) == -1 ||
	    clustermsg_member_string(r->body, "uid", &r->uid, &r->uid_len, err,
	        errlen) == -1 ||
	    clustermsg_member_string(r->body, "sid", &r->sid, &r->sid_len, err,
	        errlen) == -1)
		return -1;
	r->room = clustermsg_member(r->body, "room");
	if (jv_is_valid(r->room) && !is_room(r->room))
		return errbuf_fail(EINVAL, err, errlen,
		    "room is neither a string nor a number");
	if (clustermsg_member_rooms(r->body, "rooms", "rooms", &r->rooms, err,
	        errlen) == -1)
		return -1;
	opts = clustermsg_member(r->body, "opts");
	if (jv_is_valid(opts)) {
		if (jv_get_kind(opts) != JV_KIND_OBJECT) {
			jv_free(opts);
			return errbuf_fail(EINVAL, err, errlen,
			    "opts is not an object");
		}
		r->has_opts = 1;
		if (clustermsg_member_rooms(opts, "rooms", "opts.rooms",
		        &r->opts_rooms, err, errlen) == -1 ||
		    clustermsg_member_rooms(opts, "except", "opts.except",
		        &r->opts_except, err, errlen) == -1) {
			jv_free(opts);
			return -1;
		}
		v = clustermsg_member(opts, "flags");
		clustermsg_flags_from_jv(v, &r->flags, &r->timeout);
		jv_free(v);
	}
	jv_free(opts);
	if (!jv_is_valid(r->opts_rooms))
		r->opts_rooms = jv_array();
	if (!jv_is_valid(r->opts_except))
		r->opts_except = jv_array();
	v = clustermsg_member(r->body, "close");
	r->close = clustermsg_truthy(v);
	jv_free(v);
	r->data = jv_object_get(jv_copy(r->body), jv_string("data"));
	r->sockets = clustermsg_member(r->body, "sockets");
	if (jv_is_valid(r->sockets) &&
	    jv_get_kind(r->sockets) != JV_KIND_ARRAY)
		return errbuf_fail(EINVAL, err, errlen,
		    "sockets is not an array");
	v = clustermsg_member(r->body, "clientCount");
	if (jv_is_valid(v)) {
		if (jv_get_kind(v) != JV_KIND_NUMBER) {
			jv_free(v);
			return errbuf_fail(EINVAL, err, errlen,
			    "clientCount is not a number");
		}
		r->has_client_count = 1;
		r->client_count = jv_number_value(v);
	}
	jv_free(v);
	switch (r->type) {
	case CLUSTERMSG_REMOTE_FETCH:
		if (!r->has_opts)
			return errbuf_fail(EINVAL, err, errlen,
			    "REMOTE_FETCH without opts");
		break;
	case CLUSTERMSG_BROADCAST:
		if (!r->has_opts || !r->has_packet)
			return errbuf_fail(EINVAL, err, errlen,
			    "BROADCAST without opts or packet");
		break;
	case CLUSTERMSG_SERVER_SIDE_EMIT:
		/* A request names its node; an answer does not. */
		if (r->uid != NULL && jv_get_kind(r->data) != JV_KIND_ARRAY)
			return errbuf_fail(EINVAL, err, errlen,
			    "SERVER_SIDE_EMIT data is not an array");
		break;
	default:
		break;
	}
	return 0;
}

int
clustermsg_ack_read(struct clustermsg_event *ev, struct mpack_cur *c,
    char *err, size_t errlen)
{
	struct mpjson_att att = { ev->att, 0, SIO_ATTACHMENTS_MAX };

	buf_reset(&ev->text);
	if (mpjson_to_json(c, &ev->text, &ev->scratch, &att,
	        SIO_JSON_DEPTH_MAX, err, errlen) == -1)
		return -1;
	event_text(ev, att.n, SIO_ACK, SIO_BINARY_ACK);
	return 0;
}

/* A message in JSON text: the adapter's JSON.parse(). */
static int
req_parse_json(struct clustermsg_req *r, const char *msg, size_t len,
    char *err, size_t errlen)
{
	jv body, packet, v;
	int type;

	if (jsonv_parse(msg, len, DEPTH_MAX, 0, &body) == -1) {
		int e = errno;

		return errbuf_fail(e, err, errlen, "invalid JSON: %s",
		    jsonv_problem(e, msg, len));
	}
	r->body = body;
	if (jv_get_kind(body) != JV_KIND_OBJECT)
		return errbuf_fail(EINVAL, err, errlen,
		    "message is not an object");
	v = clustermsg_member(body, "type");
	type = type_of(v);
	jv_free(v);
	if (type != CLUSTERMSG_BROADCAST && type != CLUSTERMSG_BROADCAST_ACK)
		return 0;
	packet = jv_object_get(jv_copy(body), jv_string("packet"));
	r->body = jv_object_delete(r->body, jv_string("packet"));
	if (!jv_is_valid(packet)) {
		jv_free(packet);
		return 0;
	}
	r->has_packet = 1;
	if (type == CLUSTERMSG_BROADCAST_ACK)
		return clustermsg_ack_read_jv(&r->ev, packet, err, errlen);
	return clustermsg_event_read_jv(&r->ev, packet, err, errlen);
}

int
clustermsg_ack_read_jv(struct clustermsg_event *ev, jv value, char *err,
    size_t errlen)
{
	buf_reset(&ev->text);
	if (mpjson_put_jv_json(&ev->text, value) == -1) {
		jv_free(value);
		return fail_errno(err, errlen);
	}
	jv_free(value);
	event_text(ev, 0, SIO_ACK, SIO_BINARY_ACK);
	return 0;
}

int
clustermsg_event_read_jv(struct clustermsg_event *ev, jv packet, char *err,
    size_t errlen)
{
	struct mpack_cur c;

	/* The packet read as one that came in MessagePack. */
	buf_reset(&ev->pack);
	if (mpjson_put_jv(&ev->pack, packet) == -1) {
		jv_free(packet);
		return fail_errno(err, errlen);
	}
	jv_free(packet);
	mpack_cur_init(&c, ev->pack.data, ev->pack.len);
	return clustermsg_event_read(ev, &c, err, errlen);
}

/* A message in MessagePack: the adapter's notepack.io decode(). */
static int
req_parse_msgpack(struct clustermsg_req *r, const void *msg, size_t len,
    char *err, size_t errlen)
{
	struct mpack_item it, k, v;
	struct mpack_cur c, pairs, packet = { NULL, NULL };
	int type = CLUSTERMSG_NONE, with_packet;
	jv val;

	mpack_cur_init(&c, msg, len);
	if (mp_next(&c, &it, err, errlen) == -1)
		return -1;
	if (it.kind != MPACK_MAP)
		return errbuf_fail(EINVAL, err, errlen,
		    "message is not a map");
	/* First the type, wherever it is, and the last packet. */
	pairs = c;
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(&c, &k, "message", err, errlen) == -1)
			return -1;
		if (key_is(&k, "packet")) {
			packet = c;
			if (mp_skip(&c, DEPTH_MAX, err, errlen) == -1)
				return -1;
			continue;
		}
		if (mp_value(&c, &v, err, errlen) == -1)
			return -1;
		if (key_is(&k, "type"))
			type = v.kind == MPACK_NUMBER &&
			        whole(v.num, INT_MAX) ?
			    (int)v.num :
			    CLUSTERMSG_NONE;
	}
	if (c.p != c.end)
		return errbuf_fail(EINVAL, err, errlen,
		    "bytes after the message");
	with_packet = packet.p != NULL &&
	    (type == CLUSTERMSG_BROADCAST || type == CLUSTERMSG_BROADCAST_ACK);
	r->body = jv_object();
	c = pairs;
	for (size_t i = 0; i < it.len; i++) {
		if (mp_key(&c, &k, "message", err, errlen) == -1)
			return -1;
		if (with_packet && key_is(&k, "packet")) {
			if (mp_skip(&c, DEPTH_MAX, err, errlen) == -1)
				return -1;
			continue;
		}
		if (mpjson_to_jv(&c, DEPTH_MAX, &val, err, errlen) == -1)
			return -1;
		if (k.len > INT_MAX || (k.len == 9 && key_is(&k, "__proto__")))
			jv_free(val);
		else
			r->body = jv_object_set(r->body,
			    jv_string_sized(k.str, (int)k.len), val);
	}
	if (!with_packet)
		return 0;
	r->has_packet = 1;
	if (type == CLUSTERMSG_BROADCAST_ACK)
		return clustermsg_ack_read(&r->ev, &packet, err, errlen);
	return clustermsg_event_read(&r->ev, &packet, err, errlen);
}

int
clustermsg_req_parse(struct clustermsg_req *r, const void *msg, size_t len,
    char *err, size_t errlen)
{
	const unsigned char *p = msg;
	int rc;

	req_clear(r);
	r->msgpack = len == 0 || p[0] != '{';
	if (r->msgpack)
		rc = req_parse_msgpack(r, msg, len, err, errlen);
	else
		rc = req_parse_json(r, msg, len, err, errlen);
	if (rc == 0)
		rc = req_fields(r, err, errlen);
	if (rc == -1) {
		int e = errno;

		req_clear(r);
		errno = e;
	}
	return rc;
}

/* Requests and responses, built */

static void
jw_opts(struct jsonw *w, const struct clustermsg_target *to)
{
	jsonw_key(w, "opts");
	jsonw_raw(w, "{\"rooms\":");
	jsonw_strings(w, to->rooms, to->nrooms);
	jsonw_raw(w, ",\"except\":");
	jsonw_strings(w, to->except, to->nexcept);
	jsonw_raw(w, "}");
}

static void
jw_head(struct jsonw *w, struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len, int type)
{
	jsonw_begin(w, out);
	if (uid != NULL) {
		jsonw_key(w, "uid");
		jsonw_str(w, uid, uid_len);
	}
	if (rid != NULL) {
		jsonw_key(w, "requestId");
		jsonw_str(w, rid, rid_len);
	}
	jsonw_key(w, "type");
	jsonw_num(w, type);
}

int
clustermsg_req_all_rooms(struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len)
{
	struct jsonw w;

	jw_head(&w, out, uid, uid_len, rid, rid_len, CLUSTERMSG_ALL_ROOMS);
	return jsonw_end(&w);
}

int
clustermsg_req_fetch(struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len, const struct clustermsg_target *to)
{
	struct jsonw w;

	jw_head(&w, out, uid, uid_len, rid, rid_len, CLUSTERMSG_REMOTE_FETCH);
	jw_opts(&w, to);
	return jsonw_end(&w);
}

static int
req_rooms(struct buf *out, int type, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms)
{
	struct jsonw w;

	jw_head(&w, out, uid, uid_len, NULL, 0, type);
	jw_opts(&w, to);
	jsonw_key(&w, "rooms");
	jsonw_strings(&w, rooms, nrooms);
	return jsonw_end(&w);
}

int
clustermsg_req_join(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms)
{
	return req_rooms(out, CLUSTERMSG_REMOTE_JOIN, uid, uid_len, to, rooms,
	    nrooms);
}

int
clustermsg_req_leave(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, const struct iovec *rooms,
    size_t nrooms)
{
	return req_rooms(out, CLUSTERMSG_REMOTE_LEAVE, uid, uid_len, to, rooms,
	    nrooms);
}

int
clustermsg_req_disconnect(struct buf *out, const char *uid, size_t uid_len,
    const struct clustermsg_target *to, int close)
{
	struct jsonw w;

	jw_head(&w, out, uid, uid_len, NULL, 0, CLUSTERMSG_REMOTE_DISCONNECT);
	jw_opts(&w, to);
	jsonw_key(&w, "close");
	jsonw_raw(&w, close ? "true" : "false");
	return jsonw_end(&w);
}

int
clustermsg_req_server_emit(struct buf *out, const char *uid, size_t uid_len,
    const char *rid, size_t rid_len, jv data)
{
	struct jsonw w;

	if (jv_get_kind(data) != JV_KIND_ARRAY) {
		errno = EINVAL;
		return -1;
	}
	jw_head(&w, out, uid, uid_len, rid, rid_len,
	    CLUSTERMSG_SERVER_SIDE_EMIT);
	jsonw_key(&w, "data");
	jsonw_jv(&w, data);
	return jsonw_end(&w);
}

int
clustermsg_req_broadcast(struct buf *out, const struct clustermsg_emit *e,
    const char *rid, size_t rid_len, char *err, size_t errlen)
{
	size_t start = out->len;

	if (mpack_put_map(out, 5) == -1 || put_key(out, "uid") == -1 ||
	    mpack_put_str(out, e->uid, e->uid_len) == -1 ||
	    put_key(out, "requestId") == -1 ||
	    mpack_put_str(out, rid, rid_len) == -1 ||
	    put_key(out, "type") == -1 ||
	    mpack_put_number(out, CLUSTERMSG_BROADCAST) == -1 ||
	    put_key(out, "packet") == -1) {
		fail_errno(err, errlen);
		goto fail;
	}
	if (clustermsg_put_packet(out, e, 1, err, errlen) == -1)
		goto fail;
	if (put_key(out, "opts") == -1) {
		fail_errno(err, errlen);
		goto fail;
	}
	if (put_opts(out, &e->to, 1, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	cut(out, start);
	return -1;
}

static void
jw_rid(struct jsonw *w, struct buf *out, const char *rid, size_t rid_len)
{
	jsonw_begin(w, out);
	jsonw_key(w, "requestId");
	jsonw_str(w, rid, rid_len);
}

int
clustermsg_res_sockets(struct buf *out, const char *rid, size_t rid_len,
    const struct iovec *ids, size_t n)
{
	struct jsonw w;

	jw_rid(&w, out, rid, rid_len);
	jsonw_key(&w, "sockets");
	jsonw_strings(&w, ids, n);
	return jsonw_end(&w);
}

int
clustermsg_res_all_rooms(struct buf *out, const char *rid, size_t rid_len,
    const struct iovec *rooms, size_t n)
{
	struct jsonw w;

	jw_rid(&w, out, rid, rid_len);
	jsonw_key(&w, "rooms");
	jsonw_strings(&w, rooms, n);
	return jsonw_end(&w);
}

int
clustermsg_res_done(struct buf *out, const char *rid, size_t rid_len)
{
	struct jsonw w;

	jw_rid(&w, out, rid, rid_len);
	return jsonw_end(&w);
}

int
clustermsg_res_fetch(struct buf *out, const char *rid, size_t rid_len,
    const struct clustermsg_socket *s, size_t n)
{
	struct jsonw w, sw;

	jw_rid(&w, out, rid, rid_len);
	jsonw_key(&w, "sockets");
	jsonw_raw(&w, "[");
	for (size_t i = 0; i < n && w.rc == 0; i++) {
		if (jv_get_kind(s[i].handshake) != JV_KIND_OBJECT) {
			errno = EINVAL;
			w.rc = -1;
			break;
		}
		if (i > 0)
			jsonw_raw(&w, ",");
		jsonw_begin(&sw, out);
		jsonw_key(&sw, "id");
		jsonw_str(&sw, s[i].id, s[i].id_len);
		jsonw_key(&sw, "handshake");
		jsonw_jv(&sw, s[i].handshake);
		jsonw_key(&sw, "rooms");
		jsonw_strings(&sw, s[i].rooms, s[i].nrooms);
		if (jv_is_valid(s[i].data)) {
			jsonw_key(&sw, "data");
			jsonw_jv(&sw, s[i].data);
		}
		jsonw_raw(&sw, "}");
		jsonw_inner(&w, &sw);
	}
	jsonw_raw(&w, "]");
	return jsonw_end(&w);
}

/* Opens a typed response: {type, requestId, ... */
static void
res_head(struct jsonw *w, struct buf *out, int type, const char *rid,
    size_t rid_len)
{
	jsonw_begin(w, out);
	jsonw_key(w, "type");
	jsonw_num(w, type);
	jsonw_key(w, "requestId");
	jsonw_str(w, rid, rid_len);
}

int
clustermsg_res_server_emit(struct buf *out, const char *rid, size_t rid_len,
    jv arg)
{
	struct jsonw w;

	res_head(&w, out, CLUSTERMSG_SERVER_SIDE_EMIT, rid, rid_len);
	/* JSON.stringify leaves out a member that is undefined. */
	if (jv_is_valid(arg)) {
		jsonw_key(&w, "data");
		jsonw_jv(&w, arg);
	}
	return jsonw_end(&w);
}

int
clustermsg_res_client_count(struct buf *out, const char *rid, size_t rid_len,
    uint64_t count)
{
	struct jsonw w;

	res_head(&w, out, CLUSTERMSG_BROADCAST_CLIENT_COUNT, rid, rid_len);
	jsonw_key(&w, "clientCount");
	jsonw_num(&w, (double)count);
	return jsonw_end(&w);
}

int
clustermsg_res_broadcast_ack(struct buf *out, const char *rid, size_t rid_len,
    const char *json, size_t json_len, const struct iovec *att, unsigned natt,
    char *err, size_t errlen)
{
	size_t start = out->len;
	const unsigned char *first = NULL;
	struct json_scan s;

	/* The first element of the array, if there is one. */
	json_scan_init(&s, json, json_len);
	json_scan_skip_space(&s);
	if (!json_scan_take(&s, '['))
		return errbuf_fail(EINVAL, err, errlen,
		    "ack data is not an array");
	json_scan_skip_space(&s);
	if (json_scan_peek(&s) != ']') {
		first = s.p;
		if (json_scan_skip_value(&s, SIO_JSON_DEPTH_MAX) == -1)
			return errbuf_fail(EINVAL, err, errlen,
			    "ack data is not JSON");
	}
	if (natt > 0 && att == NULL)
		return errbuf_fail(EINVAL, err, errlen, "attachments missing");
	if (mpack_put_map(out, first != NULL ? 3 : 2) == -1 ||
	    put_key(out, "type") == -1 ||
	    mpack_put_number(out, CLUSTERMSG_BROADCAST_ACK) == -1 ||
	    put_key(out, "requestId") == -1 ||
	    mpack_put_str(out, rid, rid_len) == -1 ||
	    (first != NULL && put_key(out, "packet") == -1)) {
		fail_errno(err, errlen);
		goto fail;
	}
	if (first != NULL &&
	    mpjson_from_json(out, (const char *)first, (size_t)(s.p - first),
	        natt > 0 ? att : NULL, natt, SIO_JSON_DEPTH_MAX, err,
	        errlen) == -1)
		goto fail;
	return 0;
fail:
	cut(out, start);
	return -1;
}

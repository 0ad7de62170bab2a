/* mpack.c - MessagePack items, as notepack.io writes and reads them. */
#include "mpack.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <msgpack.h>

static int
fail(int e)
{
	errno = e;
	return -1;
}

const char *
mpack_strerror(int err)
{
	switch (err) {
	case EINVAL:
		return "malformed MessagePack";
	case ENOTSUP:
		return "MessagePack ext type";
	case ELOOP:
		return "nested too deep";
	case EMSGSIZE:
		return "too long for MessagePack";
	case ENOBUFS:
		return "over the size limit";
	case ENOMEM:
		return "out of memory";
	default:
		return strerror(err);
	}
}

/* Reading */

void
mpack_cur_init(struct mpack_cur *c, const void *data, size_t len)
{
	c->p = data;
	c->end = c->p + len;
}

static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Takes the next 'n' bytes, or fails when fewer are left. */
static int
take(struct mpack_cur *c, size_t n, const unsigned char **p)
{
	if ((size_t)(c->end - c->p) < n)
		return fail(EINVAL);
	*p = c->p;
	c->p += n;
	return 0;
}

/* A big-endian length or count of 'n' bytes. */
static int
take_len(struct mpack_cur *c, int n, size_t *len)
{
	const unsigned char *p;

	if (take(c, (size_t)n, &p) == -1)
		return -1;
	*len = (size_t)be(p, n);
	return 0;
}

static int
item_bytes(struct mpack_cur *c, enum mpack_kind kind, size_t len,
    struct mpack_item *it)
{
	const unsigned char *p;

	if (take(c, len, &p) == -1)
		return -1;
	it->kind = kind;
	it->str = (const char *)p;
	it->len = len;
	return 0;
}

static int
item_container(struct mpack_cur *c, enum mpack_kind kind, size_t n,
    struct mpack_item *it)
{
	size_t left = (size_t)(c->end - c->p);

	/* Each element takes a byte at least: a longer count is a lie. */
	if (n > left || (kind == MPACK_MAP && n > left / 2))
		return fail(EINVAL);
	it->kind = kind;
	it->len = n;
	return 0;
}

/* A number of 'n' bytes after the format byte 'b' (0xca to 0xd3). */
static int
item_number(struct mpack_cur *c, unsigned char b, struct mpack_item *it)
{
	static const int size[] = { 4, 8, 1, 2, 4, 8, 1, 2, 4, 8 };
	const unsigned char *p;
	int n = size[b - 0xca];
	uint64_t u;
	union {
		uint32_t u;
		float f;
	} f32;
	union {
		uint64_t u;
		double d;
	} f64;

	if (take(c, (size_t)n, &p) == -1)
		return -1;
	u = be(p, n);
	it->kind = MPACK_NUMBER;
	switch (b) {
	case 0xca:
		f32.u = (uint32_t)u;
		it->num = f32.f;
		break;
	case 0xcb:
		f64.u = u;
		it->num = f64.d;
		break;
	case 0xd0:
		it->num = (int8_t)u;
		break;
	case 0xd1:
		it->num = (int16_t)u;
		break;
	case 0xd2:
		it->num = (int32_t)u;
		break;
	case 0xd3:
		/* notepack.io: hi * 2^32 + lo, rounded once, as this cast. */
		it->num = (double)(int64_t)u;
		break;
	default:
		it->num = (double)u;
		break;
	}
	return 0;
}

int
mpack_next(struct mpack_cur *c, struct mpack_item *it)
{
	unsigned char b;
	size_t len;

	if (c->p >= c->end)
		return fail(EINVAL);
	b = *c->p++;
	if (b <= 0x7f || b >= 0xe0) {
		it->kind = MPACK_NUMBER;
		it->num = (int8_t)b;
		return 0;
	}
	if (b <= 0x8f)
		return item_container(c, MPACK_MAP, b & 0x0f, it);
	if (b <= 0x9f)
		return item_container(c, MPACK_ARRAY, b & 0x0f, it);
	if (b <= 0xbf)
		return item_bytes(c, MPACK_STR, b & 0x1f, it);
	switch (b) {
	case 0xc0:
		it->kind = MPACK_NIL;
		return 0;
	case 0xc2:
	case 0xc3:
		it->kind = MPACK_BOOL;
		it->b = b == 0xc3;
		return 0;
	case 0xc4:
	case 0xc5:
	case 0xc6:
		if (take_len(c, 1 << (b - 0xc4), &len) == -1)
			return -1;
		return item_bytes(c, MPACK_BIN, len, it);
	case 0xd9:
	case 0xda:
	case 0xdb:
		if (take_len(c, 1 << (b - 0xd9), &len) == -1)
			return -1;
		return item_bytes(c, MPACK_STR, len, it);
	case 0xdc:
	case 0xdd:
		if (take_len(c, b == 0xdc ? 2 : 4, &len) == -1)
			return -1;
		return item_container(c, MPACK_ARRAY, len, it);
	case 0xde:
	case 0xdf:
		if (take_len(c, b == 0xde ? 2 : 4, &len) == -1)
			return -1;
		return item_container(c, MPACK_MAP, len, it);
	case 0xc1:
		return fail(EINVAL);
	default:
		break;
	}
	if (b >= 0xca && b <= 0xd3)
		return item_number(c, b, it);
	return fail(ENOTSUP); /* c7-c9, d4-d8 */
}

int
mpack_skip(struct mpack_cur *c, int max_depth)
{
	struct mpack_item it;
	size_t n;

	if (mpack_next(c, &it) == -1)
		return -1;
	if (it.kind != MPACK_ARRAY && it.kind != MPACK_MAP)
		return 0;
	if (max_depth <= 0)
		return fail(ELOOP);
	n = it.kind == MPACK_MAP ? it.len * 2 : it.len;
	for (size_t i = 0; i < n; i++) {
		if (mpack_skip(c, max_depth - 1) == -1)
			return -1;
	}
	return 0;
}

/* Writing */

/* msgpack-c's packer appends through this to the buf it is given. */
static int
pack_write(void *data, const char *p, size_t len)
{
	return buf_append(data, p, len);
}

static void
packer(msgpack_packer *pk, struct buf *out)
{
	msgpack_packer_init(pk, out, pack_write);
}

int
mpack_put_nil(struct buf *out)
{
	msgpack_packer pk;

	packer(&pk, out);
	return msgpack_pack_nil(&pk);
}

int
mpack_put_bool(struct buf *out, int b)
{
	msgpack_packer pk;

	packer(&pk, out);
	return b ? msgpack_pack_true(&pk) : msgpack_pack_false(&pk);
}

int
mpack_put_number(struct buf *out, double d)
{
	msgpack_packer pk;

	packer(&pk, out);
	/* As notepack.io: Math.floor(d) === d && isFinite(d). */
	if (isfinite(d) && floor(d) == d) {
		if (d >= 0 && d < 18446744073709551616.0)
			return msgpack_pack_uint64(&pk, (uint64_t)d);
		if (d < 0 && d >= -9223372036854775808.0)
			return msgpack_pack_int64(&pk, (int64_t)d);
	}
	return msgpack_pack_double(&pk, d);
}

int
mpack_put_str(struct buf *out, const char *s, size_t len)
{
	msgpack_packer pk;

	if (len > UINT32_MAX)
		return fail(EMSGSIZE);
	packer(&pk, out);
	if (msgpack_pack_str(&pk, len) == -1 ||
	    msgpack_pack_str_body(&pk, s, len) == -1)
		return -1;
	return 0;
}

int
mpack_put_bin(struct buf *out, const void *p, size_t len)
{
	msgpack_packer pk;

	if (len > UINT32_MAX)
		return fail(EMSGSIZE);
	packer(&pk, out);
	if (msgpack_pack_bin(&pk, len) == -1 ||
	    msgpack_pack_bin_body(&pk, p, len) == -1)
		return -1;
	return 0;
}

int
mpack_put_array(struct buf *out, size_t n)
{
	msgpack_packer pk;

	if (n > UINT32_MAX)
		return fail(EMSGSIZE);
	packer(&pk, out);
	return msgpack_pack_array(&pk, n);
}

int
mpack_put_map(struct buf *out, size_t n)
{
	msgpack_packer pk;

	if (n > UINT32_MAX)
		return fail(EMSGSIZE);
	packer(&pk, out);
	return msgpack_pack_map(&pk, n);
}

int
mpack_put_str_header(struct buf *out, size_t len)
{
	msgpack_packer pk;

	if (len > UINT32_MAX)
		return fail(EMSGSIZE);
	packer(&pk, out);
	return msgpack_pack_str(&pk, len);
}

/* msgpack-c's packer writing into a header's bytes. */
struct head {
	unsigned char *p;
	size_t n;
};

static int
head_write(void *data, const char *p, size_t len)
{
	struct head *h = data;

	memcpy(h->p + h->n, p, len);
	h->n += len;
	return 0;
}

size_t
mpack_header(unsigned char p[MPACK_HEAD_MAX], int map, size_t n)
{
	struct head h = { p, 0 };
	msgpack_packer pk;

	msgpack_packer_init(&pk, &h, head_write);
	if (map)
		msgpack_pack_map(&pk, n);
	else
		msgpack_pack_array(&pk, n);
	return h.n;
}

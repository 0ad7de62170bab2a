/*
 * mpjson.c - JSON values in MessagePack, as Node's notepack.io writes and
 * reads them, and the JSON text JSON.stringify writes of them.
 *
 * Containers are written with their element counts in front, which JSON
 * text gives only at the end: mpjson_from_json() leaves room for the
 * largest header, then moves the elements back behind the smallest one,
 * as notepack.io writes it.  A placeholder is known only once its object
 * is read: the map written for it is then cut off and a bin written in
 * its place.
 *
 * A map read back is ordered as JavaScript orders an object's keys: its
 * pairs are noted in the caller's scratch buffer (and found there by
 * index, since nested maps may move it), sorted to find repeated keys,
 * then sorted into the order JSON.stringify lists them.
 */
#include "mpjson.h"
#include "errbuf.h"
#include "json.h"
#include "jsnum.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
fail(int e)
{
	errno = e;
	return -1;
}

/* Cuts 'b' back to its first 'len' bytes. */
static void
cut(struct buf *b, size_t len)
{
	if (b->data == NULL)
		return;
	b->len = len;
	b->data[len] = '\0';
}

/* JSON text to MessagePack */

struct tx {
	struct buf *out;
	const struct iovec *att; /* NULL: placeholders are data */
	unsigned natt;
	unsigned bad; /* placeholders naming no attachment, so far */
	char *err;
	size_t errlen;
};

/* What a value was, for the object holding it to tell placeholders. */
struct seen {
	int is_true;
	int is_number;
	double num;
};

/* A JSON string at the cursor, as a str; its bytes' offset in *at. */
static int
tx_string(struct tx *t, struct json_scan *s, size_t *at, size_t *n)
{
	const char *raw;
	size_t rawlen, len;

	if (json_scan_read_string(s, &raw, &rawlen) == -1)
		return errbuf_fail(EINVAL, t->err, t->errlen,
		    "invalid JSON string");
	len = json_unescape(raw, rawlen, NULL);
	if (len > UINT32_MAX)
		return errbuf_fail(EMSGSIZE, t->err, t->errlen,
		    "string too long");
	if (mpack_put_str_header(t->out, len) == -1 ||
	    buf_reserve(t->out, len) == -1)
		return errbuf_fail(errno, t->err, t->errlen, "%s",
		    mpack_strerror(errno));
	*at = t->out->len;
	*n = len;
	json_unescape(raw, rawlen, t->out->data + t->out->len);
	buf_commit(t->out, len);
	return 0;
}

static int
tx_number(struct tx *t, struct json_scan *s, struct seen *seen)
{
	const unsigned char *start = s->p;
	char small[64], *copy = small;
	size_t len;
	double d;

	if (json_scan_skip_number(s) == -1)
		return errbuf_fail(EINVAL, t->err, t->errlen,
		    "invalid JSON number");
	len = (size_t)(s->p - start);
	/*
	 * strtod() wants a C string, or at least a byte after the number
	 * that ends it.  A short number is copied.  A long one is read where
	 * it is when a byte follows it: the scanner took the longest number
	 * there, and one that long cannot start a hex number ("0x") either,
	 * so strtod() stops where the scanner did.  At the very end of the
	 * text it is copied into the room after the data.
	 */
	if (len < sizeof(small)) {
		memcpy(small, start, len);
		small[len] = '\0';
	} else if (s->p < s->end) {
		copy = NULL;
	} else {
		if (buf_reserve(t->out, len + 1) == -1)
			return errbuf_fail(errno, t->err, t->errlen, "%s",
			    mpack_strerror(errno));
		copy = t->out->data + t->out->len;
		memcpy(copy, start, len);
		copy[len] = '\0';
	}
	d = strtod(copy != NULL ? copy : (const char *)start, NULL);
	if (copy != NULL && copy != small)
		copy[0] = '\0';
	seen->is_number = 1;
	seen->num = d;
	if (mpack_put_number(t->out, d) == -1)
		return errbuf_fail(errno, t->err, t->errlen, "%s",
		    mpack_strerror(errno));
	return 0;
}

static int
tx_word(struct tx *t, struct json_scan *s, struct seen *seen)
{
	int c = json_scan_peek(s), rc;

	if (json_scan_skip_value(s, 0) == -1)
		return errbuf_fail(EINVAL, t->err, t->errlen,
		    "invalid JSON value");
	if (c == 'n')
		rc = mpack_put_nil(t->out);
	else
		rc = mpack_put_bool(t->out, c == 't');
	seen->is_true = c == 't';
	if (rc == -1)
		return errbuf_fail(errno, t->err, t->errlen, "%s",
		    mpack_strerror(errno));
	return 0;
}

static int tx_value(struct tx *t, struct json_scan *s, int depth,
    struct seen *seen);

/* Puts the smallest header for 'n' elements at 'start', where
 * MPACK_HEAD_MAX bytes were left for it, and moves the elements up behind
 * it. */
static void
patch_header(struct buf *out, size_t start, int map, size_t n)
{
	unsigned char *p = (unsigned char *)out->data + start;
	size_t body = out->len - start - MPACK_HEAD_MAX;
	size_t h = mpack_header(p, map, n);

	if (h < MPACK_HEAD_MAX) {
		memmove(p + h, p + MPACK_HEAD_MAX, body);
		cut(out, start + h + body);
	}
}

static int
is_key(const struct buf *out, size_t at, size_t n, const char *key)
{
	return n == strlen(key) && memcmp(out->data + at, key, n) == 0;
}

/* The placeholder's attachment, or -1 when 'num' names none. */
static long
placeholder_num(const struct tx *t, const struct seen *num)
{
	if (!num->is_number || !(num->num >= 0) ||
	    num->num >= (double)t->natt || num->num != floor(num->num))
		return -1;
	return (long)num->num;
}

static int
tx_container(struct tx *t, struct json_scan *s, int depth)
{
	int map = json_scan_peek(s) == '{', close = map ? '}' : ']';
	size_t start = t->out->len, n = 0;
	struct seen ph = { 0 }, num = { 0 }, v;
	unsigned bad = t->bad;
	long a;

	if (depth <= 0)
		return errbuf_fail(ELOOP, t->err, t->errlen,
		    "JSON nested too deep");
	if (buf_reserve(t->out, MPACK_HEAD_MAX) == -1)
		return errbuf_fail(errno, t->err, t->errlen, "%s",
		    mpack_strerror(errno));
	buf_commit(t->out, MPACK_HEAD_MAX);
	s->p++;
	json_scan_skip_space(s);
	if (!json_scan_take(s, close)) {
		do {
			size_t at = 0, klen = 0;
			int which = 0;

			json_scan_skip_space(s);
			if (map) {
				if (tx_string(t, s, &at, &klen) == -1)
					return -1;
				if (is_key(t->out, at, klen, "_placeholder"))
					which = 1;
				else if (is_key(t->out, at, klen, "num"))
					which = 2;
				json_scan_skip_space(s);
				if (!json_scan_take(s, ':'))
					return errbuf_fail(EINVAL, t->err,
					    t->errlen, "invalid JSON object");
				json_scan_skip_space(s);
			}
			memset(&v, 0, sizeof(v));
			if (tx_value(t, s, depth - 1, &v) == -1)
				return -1;
			if (which == 1)
				ph = v;
			else if (which == 2)
				num = v;
			n++;
			json_scan_skip_space(s);
		} while (json_scan_take(s, ','));
		if (!json_scan_take(s, close))
			return errbuf_fail(EINVAL, t->err, t->errlen,
			    map ? "invalid JSON object" :
			          "invalid JSON array");
	}
	if (n > UINT32_MAX)
		return errbuf_fail(EMSGSIZE, t->err, t->errlen,
		    "too many elements");
	if (map && t->att != NULL && ph.is_true) {
		if ((a = placeholder_num(t, &num)) == -1) {
			/* An error once the whole text is read, unless this
			 * lies inside a placeholder, which nobody reads. */
			t->bad++;
		} else {
			t->bad = bad;
			cut(t->out, start);
			if (mpack_put_bin(t->out, t->att[a].iov_base,
			        t->att[a].iov_len) == -1)
				return errbuf_fail(errno, t->err, t->errlen,
				    "%s", mpack_strerror(errno));
			return 0;
		}
	}
	patch_header(t->out, start, map, n);
	return 0;
}

static int
tx_value(struct tx *t, struct json_scan *s, int depth, struct seen *seen)
{
	size_t at, n;

	switch (json_scan_peek(s)) {
	case '"':
		return tx_string(t, s, &at, &n);
	case '[':
	case '{':
		return tx_container(t, s, depth);
	case 't':
	case 'f':
	case 'n':
		return tx_word(t, s, seen);
	default:
		return tx_number(t, s, seen);
	}
}

int
mpjson_from_json(struct buf *out, const char *json, size_t len,
    const struct iovec *att, unsigned natt, int max_depth, char *err,
    size_t errlen)
{
	struct tx t = { out, att, natt, 0, err, errlen };
	size_t start = out->len;
	struct json_scan s;
	struct seen v = { 0 };

	json_scan_init(&s, json, len);
	json_scan_skip_space(&s);
	if (tx_value(&t, &s, max_depth, &v) == -1)
		goto fail;
	json_scan_skip_space(&s);
	if (s.p != s.end) {
		errbuf_fail(EINVAL, err, errlen, "text after the JSON value");
		goto fail;
	}
	if (t.bad > 0) {
		errbuf_fail(EINVAL, err, errlen,
		    "attachment placeholder names no attachment");
		goto fail;
	}
	return 0;
fail:
	cut(out, start);
	return -1;
}

/* JSON text as JSON.stringify writes it */

int
mpjson_put_json_string(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	const unsigned char *run;
	size_t start = out->len;

	if (buf_append(out, "\"", 1) == -1)
		return -1;
	while (p < end) {
		char esc[7];
		size_t n, bad = 0;

		/* A run of bytes written as they are. */
		for (run = p; p < end; p += n) {
			if (*p < 0x20 || *p == '"' || *p == '\\')
				break;
			if ((n = json_utf8_seq(p, end, &bad)) == 0)
				break;
		}
		if (p > run && buf_append(out, run, (size_t)(p - run)) == -1)
			goto fail;
		if (p == end)
			break;
		if (bad > 0) {
			if (buf_append(out, "\xef\xbf\xbd", 3) == -1)
				goto fail;
			p += bad;
			continue;
		}
		switch (*p) {
		case '"':
			memcpy(esc, "\\\"", 3);
			break;
		case '\\':
			memcpy(esc, "\\\\", 3);
			break;
		case '\b':
			memcpy(esc, "\\b", 3);
			break;
		case '\f':
			memcpy(esc, "\\f", 3);
			break;
		case '\n':
			memcpy(esc, "\\n", 3);
			break;
		case '\r':
			memcpy(esc, "\\r", 3);
			break;
		case '\t':
			memcpy(esc, "\\t", 3);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			esc[6] = '\0';
			break;
		}
		if (buf_appends(out, esc) == -1)
			goto fail;
		p++;
	}
	if (buf_append(out, "\"", 1) == -1)
		goto fail;
	return 0;
fail:
	cut(out, start);
	return -1;
}

static int
put_json_number(struct buf *out, double d)
{
	char num[32];
	int n;

	if (!isfinite(d))
		return buf_appends(out, "null"); /* as JSON.stringify */
	n = jsnum_format(d, num, sizeof(num));
	return buf_append(out, num, (size_t)n);
}

/*
 * Whether a key is an array index, which JavaScript lists before an
 * object's other keys, in ascending order: the canonical decimal form of
 * an integer from 0 to 2^32 - 2.  Its value in *index.
 */
static int
array_index(const char *s, size_t len, uint32_t *index)
{
	uint64_t v = 0;

	if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX - 1)
		return 0;
	*index = (uint32_t)v;
	return 1;
}

static int
is_proto(const char *s, size_t len)
{
	return len == 9 && memcmp(s, "__proto__", 9) == 0;
}

/* MessagePack to JSON text */

struct rd {
	struct buf *text;
	struct buf *scratch;
	struct mpjson_att *att; /* NULL: binaries refused */
	/* Maps that read as placeholders: the most binaries they need, or
	 * UINT32_MAX when one names none at all. */
	uint32_t lookalike;
	const unsigned char *end; /* of the input */
	char *err;
	size_t errlen;
};

/*
 * One pair of a map being ordered.  Pairs live in the scratch buffer,
 * which nested maps may move: they are found by index, never kept by
 * address.  What they point to is the input, which stays.
 */
struct pair {
	const char *key;
	const unsigned char *val; /* the value's first byte */
	uint32_t klen;
	uint32_t pos;   /* the pair's place in the map */
	uint32_t index; /* when 'is_index' */
	unsigned char is_index;
	unsigned char drop;    /* a repeated key's later pair, or __proto__ */
	unsigned char invalid; /* the key is not UTF-8 */
};

/* Bytes of a key as JavaScript reads it: U+FFFD for what is not UTF-8. */
struct keyread {
	const unsigned char *p, *end;
	unsigned char unit[4]; /* the character being read */
	size_t n, i;
};

static int
keyread_byte(struct keyread *k)
{
	size_t bad = 0, n;

	if (k->i == k->n) {
		if (k->p == k->end)
			return -1;
		if ((n = json_utf8_seq(k->p, k->end, &bad)) > 0) {
			memcpy(k->unit, k->p, n);
			k->p += n;
		} else {
			memcpy(k->unit, "\xef\xbf\xbd", 3);
			n = 3;
			k->p += bad;
		}
		k->n = n;
		k->i = 0;
	}
	return k->unit[k->i++];
}

/* Compares two keys as the strings JavaScript makes of them. */
static int
cmp_text(const struct pair *x, const struct pair *y)
{
	struct keyread a, b;
	uint32_t n;
	int c;

	if (!x->invalid && !y->invalid) {
		n = x->klen < y->klen ? x->klen : y->klen;
		if ((c = memcmp(x->key, y->key, n)) != 0)
			return c;
		return x->klen < y->klen ? -1 : x->klen > y->klen;
	}
	a.p = (const unsigned char *)x->key;
	a.end = a.p + x->klen;
	b.p = (const unsigned char *)y->key;
	b.end = b.p + y->klen;
	a.n = a.i = b.n = b.i = 0;
	for (;;) {
		int ca = keyread_byte(&a), cb = keyread_byte(&b);

		if (ca != cb || ca == -1)
			return ca < cb ? -1 : ca > cb;
	}
}

static int
same_key(const struct pair *x, const struct pair *y)
{
	return cmp_text(x, y) == 0;
}

/* By key, then by place. */
static int
cmp_key(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = cmp_text(x, y);

	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The order JSON.stringify lists them in; dropped pairs last. */
static int
cmp_order(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->drop != y->drop)
		return x->drop - y->drop;
	if (x->is_index != y->is_index)
		return y->is_index - x->is_index;
	if (x->is_index && x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int rd_value(struct rd *r, struct mpack_cur *c, int depth);

static int
rd_fail(struct rd *r, int e)
{
	return errbuf_fail(e, r->err, r->errlen, "%s", mpack_strerror(e));
}

static int
rd_append(struct rd *r, const char *s)
{
	if (buf_appends(r->text, s) == -1)
		return rd_fail(r, errno);
	return 0;
}

static int
rd_bin(struct rd *r, const struct mpack_item *it)
{
	char ph[48];
	int n;

	if (r->att == NULL)
		return errbuf_fail(EINVAL, r->err, r->errlen,
		    "binary where none may be");
	if (r->att->n >= r->att->max)
		return errbuf_fail(EMSGSIZE, r->err, r->errlen,
		    "more than %u binaries", r->att->max);
	r->att->v[r->att->n].iov_base = (void *)it->str;
	r->att->v[r->att->n].iov_len = it->len;
	n = snprintf(ph, sizeof(ph), "{\"_placeholder\":true,\"num\":%u}",
	    r->att->n++);
	if (buf_append(r->text, ph, (size_t)n) == -1)
		return rd_fail(r, errno);
	return 0;
}

static int
rd_array(struct rd *r, struct mpack_cur *c, size_t n, int depth)
{
	if (rd_append(r, "[") == -1)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && rd_append(r, ",") == -1)
			return -1;
		if (rd_value(r, c, depth - 1) == -1)
			return -1;
	}
	return rd_append(r, "]");
}

/* Notes the 'n' pairs of the map at the cursor after its header. */
static int
note_pairs(struct rd *r, struct mpack_cur *c, size_t n, int depth)
{
	struct mpack_item key;
	struct pair p;

	for (size_t i = 0; i < n; i++) {
		if (mpack_next(c, &key) == -1)
			return rd_fail(r, errno);
		if (key.kind != MPACK_STR)
			return errbuf_fail(EINVAL, r->err, r->errlen,
			    "map key is not a string");
		if (key.len > UINT32_MAX)
			return errbuf_fail(EMSGSIZE, r->err, r->errlen,
			    "map key too long");
		memset(&p, 0, sizeof(p));
		p.key = key.str;
		p.klen = (uint32_t)key.len;
		p.val = c->p;
		p.pos = (uint32_t)i;
		p.is_index = (unsigned char)array_index(key.str, key.len,
		    &p.index);
		p.drop = (unsigned char)is_proto(key.str, key.len);
		p.invalid = json_utf8_check(key.str, key.len) == -1;
		if (mpack_skip(c, depth - 1) == -1)
			return rd_fail(r, errno);
		if (buf_append(r->scratch, &p, sizeof(p)) == -1)
			return rd_fail(r, errno);
	}
	return 0;
}

/* Gives each key its last value, in its first place; drops the rest. */
static void
order_pairs(struct pair *p, size_t n)
{
	size_t i, j;

	qsort(p, n, sizeof(*p), cmp_key);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && same_key(&p[i], &p[j]); j++)
			p[j].drop = 1;
		p[i].val = p[j - 1].val;
	}
	qsort(p, n, sizeof(*p), cmp_order);
}

/*
 * A map whose "_placeholder" is true reads as a placeholder to a client
 * that gets the value in a binary packet: note which binary it names.
 */
static void
note_lookalike(struct rd *r, const struct pair *p, size_t n)
{
	const struct pair *ph = NULL, *num = NULL;
	struct mpack_item it;
	struct mpack_cur c;
	uint32_t need = UINT32_MAX;

	for (size_t i = 0; i < n && !p[i].drop; i++) {
		if (p[i].klen == 12 &&
		    memcmp(p[i].key, "_placeholder", 12) == 0)
			ph = &p[i];
		else if (p[i].klen == 3 && memcmp(p[i].key, "num", 3) == 0)
			num = &p[i];
	}
	if (ph == NULL)
		return;
	/* The values were read once already: they are well-formed. */
	c.p = ph->val;
	c.end = r->end;
	if (mpack_next(&c, &it) == -1 || it.kind != MPACK_BOOL || !it.b)
		return;
	if (num != NULL) {
		c.p = num->val;
		c.end = r->end;
		if (mpack_next(&c, &it) == 0 && it.kind == MPACK_NUMBER &&
		    it.num >= 0 && it.num < UINT32_MAX &&
		    it.num == floor(it.num))
			need = (uint32_t)it.num + 1;
	}
	if (r->lookalike == 0 || need > r->lookalike)
		r->lookalike = need;
}

static int
rd_map(struct rd *r, struct mpack_cur *c, size_t n, int depth)
{
	size_t base = r->scratch->len, i;
	struct mpack_cur v;
	int rc = -1;

	if (n > UINT32_MAX)
		return errbuf_fail(EMSGSIZE, r->err, r->errlen,
		    "map too long");
	if (note_pairs(r, c, n, depth) == -1)
		goto out;
	if (n > 1)
		order_pairs((struct pair *)(r->scratch->data + base), n);
	if (n > 0)
		note_lookalike(r, (struct pair *)(r->scratch->data + base), n);
	if (rd_append(r, "{") == -1)
		goto out;
	for (i = 0; i < n; i++) {
		/* Nested maps may move the scratch buffer: index it anew. */
		struct pair p = ((struct pair *)(r->scratch->data + base))[i];

		if (p.drop)
			break;
		if (i > 0 && rd_append(r, ",") == -1)
			goto out;
		if (mpjson_put_json_string(r->text, p.key, p.klen) == -1 ||
		    buf_append(r->text, ":", 1) == -1) {
			rd_fail(r, errno);
			goto out;
		}
		v.p = p.val;
		v.end = c->end;
		if (rd_value(r, &v, depth - 1) == -1)
			goto out;
	}
	rc = rd_append(r, "}");
out:
	cut(r->scratch, base);
	return rc;
}

static int
rd_value(struct rd *r, struct mpack_cur *c, int depth)
{
	struct mpack_item it;

	if (mpack_next(c, &it) == -1)
		return rd_fail(r, errno);
	switch (it.kind) {
	case MPACK_NIL:
		return rd_append(r, "null");
	case MPACK_BOOL:
		return rd_append(r, it.b ? "true" : "false");
	case MPACK_NUMBER:
		if (put_json_number(r->text, it.num) == -1)
			return rd_fail(r, errno);
		return 0;
	case MPACK_STR:
		if (mpjson_put_json_string(r->text, it.str, it.len) == -1)
			return rd_fail(r, errno);
		return 0;
	case MPACK_BIN:
		return rd_bin(r, &it);
	case MPACK_ARRAY:
	case MPACK_MAP:
		if (depth <= 0)
			return rd_fail(r, ELOOP);
		if (it.kind == MPACK_ARRAY)
			return rd_array(r, c, it.len, depth);
		return rd_map(r, c, it.len, depth);
	}
	return rd_fail(r, EINVAL);
}

int
mpjson_to_json(struct mpack_cur *c, struct buf *text, struct buf *scratch,
    struct mpjson_att *att, int max_depth, char *err, size_t errlen)
{
	struct rd r = { text, scratch, att, 0, c->end, err, errlen };
	size_t start = text->len;

	if (rd_value(&r, c, max_depth) == -1) {
		cut(text, start);
		return -1;
	}
	if (att != NULL && att->n > 0 && r.lookalike > att->n) {
		cut(text, start);
		return errbuf_fail(EINVAL, err, errlen,
		    "a map reads as a placeholder naming no binary");
	}
	return 0;
}

/* MessagePack to jv */

static int to_jv_value(struct mpack_cur *c, int depth, jv *out, char *err,
    size_t errlen);

static jv
buffer_json(const unsigned char *p, size_t len)
{
	jv bytes = jv_array_sized(len > 0 ? (int)len : 1);

	for (size_t i = 0; i < len; i++)
		bytes = jv_array_append(bytes, jv_number(p[i]));
	return jv_object_set(jv_object_set(jv_object(), jv_string("type"),
	                         jv_string("Buffer")),
	    jv_string("data"), bytes);
}

static int
to_jv_container(struct mpack_cur *c, const struct mpack_item *it, int depth,
    jv *out, char *err, size_t errlen)
{
	int map = it->kind == MPACK_MAP;
	jv v = map ? jv_object() : jv_array(), e;
	struct mpack_item key;

	for (size_t i = 0; i < it->len; i++) {
		if (!map) {
			if (to_jv_value(c, depth - 1, &e, err, errlen) == -1)
				goto fail;
			v = jv_array_append(v, e);
			continue;
		}
		if (mpack_next(c, &key) == -1) {
			errbuf_fail(errno, err, errlen, "%s",
			    mpack_strerror(errno));
			goto fail;
		}
		if (key.kind != MPACK_STR) {
			errbuf_fail(EINVAL, err, errlen,
			    "map key is not a string");
			goto fail;
		}
		if (to_jv_value(c, depth - 1, &e, err, errlen) == -1)
			goto fail;
		if (key.len > INT32_MAX || is_proto(key.str, key.len)) {
			jv_free(e);
			continue;
		}
		v = jv_object_set(v, jv_string_sized(key.str, (int)key.len),
		    e);
	}
	*out = v;
	return 0;
fail:
	jv_free(v);
	return -1;
}

static int
to_jv_value(struct mpack_cur *c, int depth, jv *out, char *err, size_t errlen)
{
	struct mpack_item it;

	*out = jv_invalid();
	if (mpack_next(c, &it) == -1)
		return errbuf_fail(errno, err, errlen, "%s",
		    mpack_strerror(errno));
	switch (it.kind) {
	case MPACK_NIL:
		*out = jv_null();
		return 0;
	case MPACK_BOOL:
		*out = jv_bool(it.b);
		return 0;
	case MPACK_NUMBER:
		*out = jv_number(it.num);
		return 0;
	case MPACK_STR:
		if (it.len > INT32_MAX)
			return errbuf_fail(EMSGSIZE, err, errlen,
			    "string too long");
		*out = jv_string_sized(it.str, (int)it.len);
		return 0;
	case MPACK_BIN:
		if (it.len > INT32_MAX)
			return errbuf_fail(EMSGSIZE, err, errlen,
			    "binary too long");
		*out = buffer_json((const unsigned char *)it.str, it.len);
		return 0;
	case MPACK_ARRAY:
	case MPACK_MAP:
		if (depth <= 0)
			return errbuf_fail(ELOOP, err, errlen, "%s",
			    mpack_strerror(ELOOP));
		return to_jv_container(c, &it, depth, out, err, errlen);
	}
	return errbuf_fail(EINVAL, err, errlen, "%s", mpack_strerror(EINVAL));
}

int
mpjson_to_jv(struct mpack_cur *c, int max_depth, jv *out, char *err,
    size_t errlen)
{
	return to_jv_value(c, max_depth, out, err, errlen);
}

/* jv to MessagePack */

static int
put_jv_mp(struct buf *out, jv v)
{
	int rc = 0;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return mpack_put_nil(out);
	case JV_KIND_TRUE:
	case JV_KIND_FALSE:
		return mpack_put_bool(out, jv_get_kind(v) == JV_KIND_TRUE);
	case JV_KIND_NUMBER:
		return mpack_put_number(out, jv_number_value(v));
	case JV_KIND_STRING:
		return mpack_put_str(out, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
	case JV_KIND_ARRAY:
		if (mpack_put_array(out,
		        (size_t)jv_array_length(jv_copy(v))) == -1)
			return -1;
		jv_array_foreach(v, i, e)
		{
			if (rc == 0)
				rc = put_jv_mp(out, e);
			jv_free(e);
			(void)i;
		}
		return rc;
	case JV_KIND_OBJECT:
		if (mpack_put_map(out, (size_t)jv_object_length(jv_copy(v))) ==
		    -1)
			return -1;
		jv_object_foreach(v, key, val)
		{
			if (rc == 0)
				rc = put_jv_mp(out, key);
			if (rc == 0)
				rc = put_jv_mp(out, val);
			jv_free(key);
			jv_free(val);
		}
		return rc;
	default:
		return fail(EINVAL);
	}
}

int
mpjson_put_jv(struct buf *out, jv v)
{
	size_t start = out->len;

	if (put_jv_mp(out, v) == -1) {
		cut(out, start);
		return -1;
	}
	return 0;
}

/* jv to JSON text */

static int put_jv(struct buf *out, jv v);

static int
put_member(struct buf *out, jv key, jv val, int *first)
{
	int rc;

	if (!*first && buf_append(out, ",", 1) == -1)
		return -1;
	*first = 0;
	rc = mpjson_put_json_string(out, jv_string_value(key),
	    (size_t)jv_string_length_bytes(jv_copy(key)));
	if (rc == 0)
		rc = buf_append(out, ":", 1);
	if (rc == 0)
		rc = put_jv(out, val);
	return rc;
}

static int
put_object(struct buf *out, jv v)
{
	jv indices = jv_array();
	int first = 1, rc = -1;
	uint32_t index;

	if (buf_append(out, "{", 1) == -1)
		goto out;
	/* Array indices first, in ascending order, as JavaScript lists. */
	jv_object_foreach(v, key, val)
	{
		if (array_index(jv_string_value(key),
		        (size_t)jv_string_length_bytes(jv_copy(key)), &index))
			indices = jv_array_append(indices,
			    jv_number((double)index));
		jv_free(key);
		jv_free(val);
	}
	indices = jv_sort(indices, jv_copy(indices));
	jv_array_foreach(indices, i, n)
	{
		char name[16];
		jv key, val;

		snprintf(name, sizeof(name), "%.0f", jv_number_value(n));
		jv_free(n);
		key = jv_string(name);
		val = jv_object_get(jv_copy(v), jv_copy(key));
		rc = put_member(out, key, val, &first);
		jv_free(key);
		jv_free(val);
		if (rc == -1)
			goto out;
		(void)i;
	}
	rc = 0;
	jv_object_foreach(v, key, val)
	{
		if (rc == 0 &&
		    !array_index(jv_string_value(key),
		        (size_t)jv_string_length_bytes(jv_copy(key)), &index))
			rc = put_member(out, key, val, &first);
		jv_free(key);
		jv_free(val);
	}
	if (rc == 0)
		rc = buf_append(out, "}", 1);
out:
	jv_free(indices);
	return rc;
}

static int
put_jv(struct buf *out, jv v)
{
	int rc = 0, first = 1;

	switch (jv_get_kind(v)) {
	case JV_KIND_NULL:
		return buf_appends(out, "null");
	case JV_KIND_TRUE:
		return buf_appends(out, "true");
	case JV_KIND_FALSE:
		return buf_appends(out, "false");
	case JV_KIND_NUMBER:
		return put_json_number(out, jv_number_value(v));
	case JV_KIND_STRING:
		return mpjson_put_json_string(out, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
	case JV_KIND_ARRAY:
		if (buf_append(out, "[", 1) == -1)
			return -1;
		jv_array_foreach(v, i, e)
		{
			if (rc == 0 && !first)
				rc = buf_append(out, ",", 1);
			first = 0;
			if (rc == 0)
				rc = put_jv(out, e);
			jv_free(e);
			(void)i;
		}
		if (rc == 0)
			rc = buf_append(out, "]", 1);
		return rc;
	case JV_KIND_OBJECT:
		return put_object(out, v);
	default:
		return fail(EINVAL);
	}
}

int
mpjson_put_jv_json(struct buf *out, jv v)
{
	size_t start = out->len;

	if (put_jv(out, v) == -1) {
		cut(out, start);
		return -1;
	}
	return 0;
}

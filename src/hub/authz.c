/* authz.c - claims to permissions, and the sender's userId. */
#include "authz.h"

#include "errbuf.h"
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Nesting a payload may have, as the codec allows (SIO_JSON_DEPTH_MAX is
 * the proto layer's; this module takes text the codec has checked). */
#define AUTHZ_JSON_DEPTH 64

static void
list_release(struct authz_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->p[i].s);
	free(l->p);
	memset(l, 0, sizeof(*l));
}

/* Reads claim 'name' of 'claims' (borrowed) into 'l'.  0 or -1. */
static int
list_init(struct authz_list *l, jv claims, const char *name, char *err,
    size_t errlen)
{
	jv arr = jv_object_get(jv_copy(claims), jv_string(name));
	int i, n, rc = -1;

	memset(l, 0, sizeof(*l));
	if (!jv_is_valid(arr)) {
		jv_free(arr);
		return 0;
	}
	if (jv_get_kind(arr) != JV_KIND_ARRAY) {
		errbuf_fail(EINVAL, err, errlen,
		    "\"%s\" must be an array of room names", name);
		goto out;
	}
	l->present = 1;
	n = jv_array_length(jv_copy(arr));
	if (n > AUTHZ_PATTERNS_MAX) {
		errbuf_fail(EINVAL, err, errlen,
		    "\"%s\" lists more than %d rooms", name,
		    AUTHZ_PATTERNS_MAX);
		goto out;
	}
	if (n > 0 && (l->p = calloc((size_t)n, sizeof(*l->p))) == NULL) {
		errbuf_fail(ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		jv v = jv_array_get(jv_copy(arr), i);
		struct authz_pattern *p = &l->p[i];
		size_t len;

		if (jv_get_kind(v) != JV_KIND_STRING ||
		    (len = (size_t)jv_string_length_bytes(jv_copy(v))) == 0) {
			jv_free(v);
			errbuf_fail(EINVAL, err, errlen,
			    "\"%s\" must hold non-empty strings only", name);
			goto out;
		}
		if ((p->s = malloc(len + 1)) == NULL) {
			jv_free(v);
			errbuf_fail(ENOMEM, err, errlen, "out of memory");
			goto out;
		}
		memcpy(p->s, jv_string_value(v), len);
		jv_free(v);
		p->prefix = p->s[len - 1] == '*';
		p->len = p->prefix ? len - 1 : len;
		p->s[p->len] = '\0';
		l->n++;
	}
	rc = 0;
out:
	jv_free(arr);
	if (rc == -1)
		list_release(l);
	return rc;
}

int
authz_init(struct authz *a, jv claims, char *err, size_t errlen)
{
	memset(&a->rooms, 0, sizeof(a->rooms));
	memset(&a->publish, 0, sizeof(a->publish));
	a->sub = jv_object_get(jv_copy(claims), jv_string("sub"));
	if (!(jv_get_kind(a->sub) == JV_KIND_NUMBER ||
	        (jv_get_kind(a->sub) == JV_KIND_STRING &&
	            jv_string_length_bytes(jv_copy(a->sub)) > 0))) {
		jv_free(a->sub);
		a->sub = jv_invalid();
		return errbuf_fail(EINVAL, err, errlen,
		    "\"sub\" must be a string or a number");
	}
	if (list_init(&a->rooms, claims, "rooms", err, errlen) == -1 ||
	    list_init(&a->publish, claims, "publish", err, errlen) == -1) {
		int e = errno;

		authz_release(a);
		errno = e;
		return -1;
	}
	return 0;
}

void
authz_release(struct authz *a)
{
	jv_free(a->sub);
	a->sub = jv_invalid();
	list_release(&a->rooms);
	list_release(&a->publish);
}

static int
list_matches(const struct authz_list *l, const char *room, size_t len)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct authz_pattern *p = &l->p[i];

		if (p->prefix ?
		        len >= p->len && memcmp(room, p->s, p->len) == 0 :
		        len == p->len && memcmp(room, p->s, len) == 0)
			return 1;
	}
	return 0;
}

int
authz_may_join(const struct authz *a, const char *room, size_t len)
{
	return !a->rooms.present || list_matches(&a->rooms, room, len);
}

int
authz_may_publish(const struct authz *a, const char *room, size_t len,
    int joined)
{
	return a->publish.present ? list_matches(&a->publish, room, len) :
	                            joined;
}

/* Whether a member's key, as written between its quotes, is "userId". */
static int
key_is_user_id(const char *key, size_t len)
{
	char buf[64];

	/* Longer as written, it cannot be "userId": each of its 6
	 * characters takes at most 6 bytes escaped ("\u0075"). */
	if (len > sizeof(buf))
		return 0;
	return json_unescape(key, len, buf) == 6 &&
	    memcmp(buf, "userId", 6) == 0;
}

char *
authz_with_user(const struct authz *a, const char *obj, size_t len,
    size_t *outlen)
{
	struct json_scan sc;
	jv sub = jv_dump_string(jv_copy(a->sub), 0);
	size_t sublen = (size_t)jv_string_length_bytes(jv_copy(sub));
	static const char head[] = "{\"userId\":";
	char *out, *w;

	/* The result is at most the head, the sub and the object again. */
	if ((out = malloc(sizeof(head) + sublen + len + 1)) == NULL) {
		jv_free(sub);
		return NULL;
	}
	w = out;
	memcpy(w, head, sizeof(head) - 1);
	w += sizeof(head) - 1;
	memcpy(w, jv_string_value(sub), sublen);
	w += sublen;
	jv_free(sub);
	json_scan_init(&sc, obj, len);
	json_scan_skip_space(&sc);
	if (!json_scan_take(&sc, '{'))
		goto bad;
	json_scan_skip_space(&sc);
	while (json_scan_peek(&sc) == '"') {
		const char *start = (const char *)sc.p, *key;
		size_t keylen;

		if (json_scan_read_string(&sc, &key, &keylen) == -1)
			goto bad;
		json_scan_skip_space(&sc);
		if (!json_scan_take(&sc, ':'))
			goto bad;
		json_scan_skip_space(&sc);
		if (json_scan_skip_value(&sc, AUTHZ_JSON_DEPTH) == -1)
			goto bad;
		if (!key_is_user_id(key, keylen)) {
			size_t n = (size_t)((const char *)sc.p - start);

			*w++ = ',';
			memcpy(w, start, n);
			w += n;
		}
		json_scan_skip_space(&sc);
		if (!json_scan_take(&sc, ','))
			break;
		json_scan_skip_space(&sc);
	}
	if (!json_scan_take(&sc, '}'))
		goto bad;
	*w++ = '}';
	*outlen = (size_t)(w - out);
	*w = '\0';
	return out;
bad:
	free(out);
	errno = EINVAL;
	return NULL;
}

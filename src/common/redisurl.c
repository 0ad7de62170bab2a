/* redisurl.c - Redis URLs split into an address, credentials and a db. */
#include "redisurl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errbuf.h"
#include "pct.h"

#define DEFAULT_PORT 6379
#define HOST_MAX 253

void
redisurl_init(struct redisurl *u)
{
	u->user = u->password = u->host = u->path = NULL;
	u->port = 0;
	u->db = 0;
	u->ipv6 = 0;
}

int
redisurl_key_valid(const char *key)
{
	size_t len = strlen(key);

	return len > 0 && len <= REDISURL_KEY_MAX;
}

int
redisurl_key_option(const char *key, char *err, size_t errlen)
{
	if (redisurl_key_valid(key))
		return 0;
	snprintf(err, errlen, "--redis-key must be 1 to %d bytes",
	    REDISURL_KEY_MAX);
	return -1;
}

int
redisurl_auth_argv(const struct redisurl *u, const char *argv[3])
{
	int n = 0;

	if (u->password == NULL)
		return 0;
	argv[n++] = "AUTH";
	if (u->user != NULL)
		argv[n++] = u->user;
	argv[n++] = u->password;
	return n;
}

void
redisurl_release(struct redisurl *u)
{
	if (u->password != NULL)
		explicit_bzero(u->password, strlen(u->password));
	free(u->user);
	free(u->password);
	free(u->host);
	free(u->path);
	redisurl_init(u);
}

/* Decodes 'len' bytes into *dst; an empty part stays NULL. */
static int
decode(char **dst, const char *s, size_t len, const char *name, char *err,
    size_t errlen)
{
	if (len == 0)
		return 0;
	if ((*dst = pct_decode(s, len)) != NULL)
		return 0;
	if (errno == ENOMEM)
		errbuf_printf(err, errlen, "out of memory");
	else
		errbuf_printf(err, errlen, "bad %%-escape in the %s", name);
	return -1;
}

/* A decimal number of 'len' bytes, at most 'max'; -1 when it is not. */
static long long
number(const char *s, size_t len, long long max)
{
	long long v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > max ? -1 : v;
}

static int
parse_port(struct redisurl *u, const char *s, size_t len, char *err,
    size_t errlen)
{
	long long v = number(s, len, 65535);

	if (v < 1) {
		errbuf_printf(err, errlen,
		    "the port is not a number from 1 to 65535");
		return -1;
	}
	u->port = (unsigned)v;
	return 0;
}

/* db N, from the path or the query; given twice, both must agree. */
static int
parse_db(struct redisurl *u, int *given, const char *s, size_t len, char *err,
    size_t errlen)
{
	long long v = number(s, len, INT_MAX);

	if (v < 0) {
		errbuf_printf(err, errlen,
		    "the database is not a number from 0 to %d", INT_MAX);
		return -1;
	}
	if (*given && u->db != (unsigned)v) {
		errbuf_printf(err, errlen,
		    "the database is given twice, differently");
		return -1;
	}
	u->db = (unsigned)v;
	*given = 1;
	return 0;
}

static int
parse_host(struct redisurl *u, const char *s, size_t len, char *err,
    size_t errlen)
{
	const char *end = s + len, *hs, *he, *colon;

	if (len > 0 && s[0] == '[') {
		he = memchr(s, ']', len);
		if (he == NULL) {
			errbuf_printf(err, errlen,
			    "missing ']' after the IPv6 address");
			return -1;
		}
		hs = s + 1;
		if (he == hs ||
		    strspn(hs, "0123456789abcdefABCDEF:.") <
		        (size_t)(he - hs) ||
		    memchr(hs, ':', (size_t)(he - hs)) == NULL) {
			errbuf_printf(err, errlen,
			    "the host in brackets is not an IPv6 address");
			return -1;
		}
		colon = he + 1 < end ? he + 1 : NULL;
		if (colon != NULL && *colon != ':') {
			errbuf_printf(err, errlen,
			    "unexpected text after ']'");
			return -1;
		}
		u->ipv6 = 1;
	} else {
		colon = memchr(s, ':', len);
		hs = s;
		he = colon != NULL ? colon : end;
		if (colon != NULL &&
		    memchr(colon + 1, ':', (size_t)(end - colon - 1)) !=
		        NULL) {
			errbuf_printf(err, errlen,
			    "write an IPv6 address in brackets: [::1]:6379");
			return -1;
		}
		if (he == hs) {
			errbuf_printf(err, errlen, "missing host");
			return -1;
		}
		if (he - hs > HOST_MAX ||
		    strspn(hs,
		        "abcdefghijklmnopqrstuvwxyz"
		        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") <
		        (size_t)(he - hs)) {
			errbuf_printf(err, errlen,
			    "the host is not a name or an address");
			return -1;
		}
	}
	if ((u->host = strndup(hs, (size_t)(he - hs))) == NULL) {
		errbuf_printf(err, errlen, "out of memory");
		return -1;
	}
	u->port = DEFAULT_PORT;
	if (colon == NULL)
		return 0;
	return parse_port(u, colon + 1, (size_t)(end - colon - 1), err,
	    errlen);
}

static int
parse_query(struct redisurl *u, int *db_given, const char *q, char *err,
    size_t errlen)
{
	while (*q != '\0') {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);

		if (eq != NULL && eq - q == 2 && strncmp(q, "db", 2) == 0) {
			if (parse_db(u, db_given, eq + 1,
			        (size_t)(q + len - eq - 1), err, errlen) == -1)
				return -1;
		} else if (len > 0) {
			size_t klen = eq != NULL ? (size_t)(eq - q) : len;

			errbuf_printf(err, errlen,
			    "unknown parameter \"%.*s\" (known: db=N)",
			    (int)(klen > 32 ? 32 : klen), q);
			return -1;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

/* USER:PASSWORD@ of 'len' bytes at 's', the '@' excluded. */
static int
parse_userinfo(struct redisurl *u, const char *s, size_t len, char *err,
    size_t errlen)
{
	const char *colon = memchr(s, ':', len);

	if (colon == NULL) {
		errbuf_printf(err, errlen,
		    "a user name needs a password: write USER:PASSWORD@, "
		    "or :PASSWORD@ for requirepass");
		return -1;
	}
	if (decode(&u->user, s, (size_t)(colon - s), "user name", err,
	        errlen) == -1 ||
	    decode(&u->password, colon + 1, (size_t)(s + len - colon - 1),
	        "password", err, errlen) == -1)
		return -1;
	if (u->user != NULL && u->password == NULL) {
		errbuf_printf(err, errlen, "a user name needs a password");
		return -1;
	}
	return 0;
}

int
redisurl_parse(struct redisurl *u, const char *url, char *err, size_t errlen)
{
	const char *p, *query, *end, *auth_end, *at;
	int is_unix, db_given = 0;

	redisurl_release(u);
	if (strncasecmp(url, "redis://", 8) == 0) {
		p = url + 8;
		is_unix = 0;
	} else if (strncasecmp(url, "unix://", 7) == 0) {
		p = url + 7;
		is_unix = 1;
	} else if (strncasecmp(url, "rediss://", 9) == 0) {
		errbuf_printf(err, errlen,
		    "TLS (rediss://) is not supported: use redis:// or "
		    "unix://");
		return -1;
	} else {
		errbuf_printf(err, errlen,
		    "expected a URL starting with redis:// or unix://");
		return -1;
	}
	if (strchr(p, '#') != NULL) {
		errbuf_printf(err, errlen,
		    "a fragment ('#') has no meaning here; write '#' in a "
		    "password as %%23");
		goto fail;
	}
	query = strchr(p, '?');
	end = query != NULL ? query : p + strlen(p);
	auth_end = memchr(p, '/', (size_t)(end - p));
	if (auth_end == NULL)
		auth_end = end;
	/*
	 * An '@' past the host means a '/' or '?' in the password ended the
	 * host early: refuse without quoting, as what follows is a secret.
	 */
	if (strchr(auth_end, '@') != NULL) {
		errbuf_printf(err, errlen,
		    "an '@' after the host: write '/', '?' and '@' in a "
		    "password or user name as %%2F, %%3F and %%40");
		goto fail;
	}
	at = memrchr(p, '@', (size_t)(auth_end - p));
	if (at != NULL) {
		if (parse_userinfo(u, p, (size_t)(at - p), err, errlen) == -1)
			goto fail;
		p = at + 1;
	}
	if (is_unix) {
		if (p != auth_end) {
			errbuf_printf(err, errlen,
			    "a unix:// URL names no host: write "
			    "unix:///PATH");
			goto fail;
		}
		if (end - auth_end < 2) {
			errbuf_printf(err, errlen,
			    "missing socket path: write unix:///PATH");
			goto fail;
		}
		if (decode(&u->path, auth_end, (size_t)(end - auth_end),
		        "socket path", err, errlen) == -1)
			goto fail;
		if (strlen(u->path) > REDISURL_PATH_MAX) {
			errbuf_printf(err, errlen,
			    "the socket path is longer than %d bytes",
			    REDISURL_PATH_MAX);
			goto fail;
		}
	} else {
		if (parse_host(u, p, (size_t)(auth_end - p), err, errlen) ==
		    -1)
			goto fail;
		if (auth_end + 1 < end &&
		    parse_db(u, &db_given, auth_end + 1,
		        (size_t)(end - auth_end - 1), err, errlen) == -1)
			goto fail;
	}
	if (query != NULL &&
	    parse_query(u, &db_given, query + 1, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	redisurl_release(u);
	return -1;
}

void
redisurl_where(const struct redisurl *u, char *buf, size_t len)
{
	char db[32] = "";

	if (u->db != 0)
		snprintf(db, sizeof(db), " db %u", u->db);
	if (u->path != NULL)
		errbuf_printf(buf, len, "%s%s", u->path, db);
	else if (u->ipv6)
		errbuf_printf(buf, len, "[%s]:%u%s", u->host ? u->host : "",
		    u->port, db);
	else
		errbuf_printf(buf, len, "%s:%u%s", u->host ? u->host : "",
		    u->port, db);
}

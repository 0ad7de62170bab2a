/* dburl.c - database URLs split into connection parameters. */
#include "dburl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errbuf.h"
#include "pct.h"

void
dburl_init(struct dburl *u)
{
	u->user = u->password = u->host = u->database = u->socket = NULL;
	u->port = 0;
}

void
dburl_release(struct dburl *u)
{
	if (u->password != NULL)
		explicit_bzero(u->password, strlen(u->password));
	free(u->user);
	free(u->password);
	free(u->host);
	free(u->database);
	free(u->socket);
	dburl_init(u);
}

/* Decodes a part into *dst; empty parts stay NULL unless 'keep_empty'. */
static int
part(char **dst, const char *s, size_t len, int keep_empty, const char *name,
    char *err, size_t errlen)
{
	if (len == 0 && !keep_empty)
		return 0;
	if ((*dst = pct_decode(s, len)) == NULL) {
		if (errno == ENOMEM)
			errbuf_printf(err, errlen, "out of memory");
		else
			errbuf_printf(err, errlen, "bad %%-escape in the %s",
			    name);
		return -1;
	}
	return 0;
}

static int
parse_port(const char *s, size_t len, unsigned *port, char *err, size_t errlen)
{
	unsigned long v = 0;

	if (len == 0 || len > 5 || strspn(s, "0123456789") < len)
		goto bad;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (v < 1 || v > 65535)
		goto bad;
	*port = (unsigned)v;
	return 0;
bad:
	errbuf_printf(err, errlen,
	    "port \"%.*s\" is not a number from 1 to 65535",
	    (int)(len > 16 ? 16 : len), s);
	return -1;
}

static int
parse_host(struct dburl *u, const char *s, size_t len, char *err,
    size_t errlen)
{
	const char *colon = NULL;

	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close == NULL) {
			errbuf_printf(err, errlen,
			    "missing ']' after the IPv6 address");
			return -1;
		}
		if (part(&u->host, s + 1, (size_t)(close - s - 1), 0, "host",
		        err, errlen) == -1)
			return -1;
		if (close + 1 == s + len)
			return 0;
		if (close[1] != ':') {
			errbuf_printf(err, errlen,
			    "unexpected text after ']'");
			return -1;
		}
		colon = close + 1;
	} else {
		colon = memrchr(s, ':', len);
		if (part(&u->host, s, colon ? (size_t)(colon - s) : len, 0,
		        "host", err, errlen) == -1)
			return -1;
		if (colon == NULL)
			return 0;
	}
	return parse_port(colon + 1, (size_t)(s + len - colon - 1), &u->port,
	    err, errlen);
}

static int
parse_query(struct dburl *u, const char *q, char *err, size_t errlen)
{
	while (*q != '\0') {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);

		if (eq != NULL && (size_t)(eq - q) == 6 &&
		    strncmp(q, "socket", 6) == 0) {
			free(u->socket);
			u->socket = NULL;
			if (part(&u->socket, eq + 1,
			        (size_t)(q + len - eq - 1), 0, "socket path",
			        err, errlen) == -1)
				return -1;
		} else if (len > 0) {
			errbuf_printf(err, errlen,
			    "unknown parameter \"%.*s\" (known: "
			    "socket=PATH)",
			    (int)(eq ? eq - q : (long)len), q);
			return -1;
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

int
dburl_parse(struct dburl *u, const char *url, char *err, size_t errlen)
{
	const char *p, *auth_end, *at, *query, *end;
	size_t n;

	dburl_release(u);
	if (strncasecmp(url, "mysql://", 8) == 0)
		p = url + 8;
	else if (strncasecmp(url, "mariadb://", 10) == 0)
		p = url + 10;
	else {
		errbuf_printf(err, errlen,
		    "expected a URL starting with mysql://");
		return -1;
	}
	if (strchr(p, '#') != NULL) {
		errbuf_printf(err, errlen,
		    "a fragment ('#') has no meaning here; "
		    "write '#' in a password as %%23");
		goto fail;
	}
	query = strchr(p, '?');
	end = query ? query : p + strlen(p);
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
	n = (size_t)(auth_end - p);
	at = memrchr(p, '@', n);
	if (at != NULL) {
		const char *colon = memchr(p, ':', (size_t)(at - p));

		if (part(&u->user, p,
		        colon ? (size_t)(colon - p) : (size_t)(at - p), 0,
		        "user name", err, errlen) == -1)
			goto fail;
		if (colon != NULL &&
		    part(&u->password, colon + 1, (size_t)(at - colon - 1), 1,
		        "password", err, errlen) == -1)
			goto fail;
		p = at + 1;
	}
	if (parse_host(u, p, (size_t)(auth_end - p), err, errlen) == -1)
		goto fail;
	if (auth_end < end) {
		const char *db = auth_end + 1;
		size_t dlen = (size_t)(end - db);

		if (memchr(db, '/', dlen) != NULL) {
			errbuf_printf(err, errlen,
			    "the database name may not contain "
			    "'/'");
			goto fail;
		}
		if (part(&u->database, db, dlen, 0, "database name", err,
		        errlen) == -1)
			goto fail;
	}
	if (query != NULL && parse_query(u, query + 1, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	dburl_release(u);
	return -1;
}

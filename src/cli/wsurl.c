/* wsurl.c - ws:// and wss:// URLs for a Socket.IO client. */
#include "wsurl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int
fail(char *err, size_t errlen, const char *why)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", why);
	return -1;
}

/* Printable ASCII but space: what a path or query may hold as written. */
static int
printable(int c)
{
	return c > 0x20 && c < 0x7f;
}

/* A character of a host name or IPv4 address (RFC 3986 reg-name). */
static int
host_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~' || c == '%';
}

static int
v6_char(int c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
	    (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '%';
}

int
wsurl_parse(const char *url, struct wsurl *u, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		int tls, port;
	} schemes[] = {
		{ "ws://", 0, 80 },
		{ "wss://", 1, 443 },
		{ "http://", 0, 80 },
		{ "https://", 1, 443 },
	};
	const char *p = NULL, *h, *hend, *path, *q;
	size_t i, n;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		n = strlen(schemes[i].name);
		if (strncasecmp(url, schemes[i].name, n) == 0) {
			p = url + n;
			u->tls = schemes[i].tls;
			u->port = schemes[i].port;
			break;
		}
	}
	if (p == NULL)
		return fail(err, errlen,
		    "the scheme is not ws://, wss://, "
		    "http:// or https://");

	/* The authority runs to the path, the query or the fragment. */
	n = strcspn(p, "/?#");
	if (memchr(p, '@', n) != NULL)
		return fail(err, errlen,
		    "user information in a URL is not "
		    "supported; send credentials with --header or --auth");
	if (*p == '[') {
		h = p + 1;
		hend = memchr(h, ']', n);
		if (hend == NULL)
			return fail(err, errlen,
			    "no ']' after an IPv6 address");
		for (const char *c = h; c < hend; c++)
			if (!v6_char((unsigned char)*c))
				return fail(err, errlen, "bad IPv6 address");
		u->ipv6 = 1;
		q = hend + 1;
	} else {
		h = p;
		for (hend = h; hend < p + n && *hend != ':'; hend++)
			if (!host_char((unsigned char)*hend))
				return fail(err, errlen,
				    "bad character in "
				    "the host name");
		q = hend;
	}
	if (hend == h)
		return fail(err, errlen, "no host");
	if ((size_t)(hend - h) > WSURL_HOST_MAX)
		return fail(err, errlen, "host name too long");
	memcpy(u->host, h, (size_t)(hend - h));
	u->host[hend - h] = '\0';
	if (q < p + n) {
		long port = 0;

		if (*q != ':' || q + 1 == p + n)
			return fail(err, errlen, "bad port");
		for (q++; q < p + n; q++) {
			if (*q < '0' || *q > '9')
				return fail(err, errlen, "bad port");
			port = port * 10 + (*q - '0');
			if (port > 65535)
				return fail(err, errlen, "port out of range");
		}
		if (port == 0)
			return fail(err, errlen, "port out of range");
		u->port = (int)port;
	}

	/* The path names the namespace; the query goes to the handshake. */
	path = p + n;
	n = strcspn(path, "?#");
	if (n == 0) {
		u->nsp[0] = '/';
	} else {
		if (n > SIO_NSP_MAX)
			return fail(err, errlen, "path too long");
		for (i = 0; i < n; i++)
			if (!printable((unsigned char)path[i]) ||
			    path[i] == ',')
				return fail(err, errlen,
				    "bad character in "
				    "the path");
		memcpy(u->nsp, path, n);
	}
	if (path[n] == '?') {
		q = path + n + 1;
		n = strcspn(q, "#");
		if (n > WSURL_QUERY_MAX)
			return fail(err, errlen, "query too long");
		for (i = 0; i < n; i++)
			if (!printable((unsigned char)q[i]))
				return fail(err, errlen,
				    "bad character in "
				    "the query");
		memcpy(u->query, q, n);
	}
	return 0;
}

int
wsurl_namespace(const struct wsurl *u, const char *ns, const char **out,
    char *err, size_t errlen)
{
	if (ns != NULL && strcmp(u->nsp, "/") != 0 &&
	    strcmp(u->nsp, ns) != 0) {
		snprintf(err, errlen,
		    "the URL names namespace %s, -n names %s: "
		    "choose one",
		    u->nsp, ns);
		return -1;
	}
	*out = ns != NULL ? ns : u->nsp;
	if ((*out)[0] != '/' || strchr(*out, ',') != NULL ||
	    strlen(*out) > SIO_NSP_MAX) {
		snprintf(err, errlen,
		    "namespace '%s' must start with '/' and "
		    "hold no ','",
		    *out);
		return -1;
	}
	return 0;
}

int
wsurl_handshake_path(const struct wsurl *u, const char *path, char *out,
    size_t cap)
{
	size_t plen = strlen(path);
	int n;

	if (plen == 0 || path[0] != '/')
		return -1;
	for (size_t i = 0; i < plen; i++)
		if (!printable((unsigned char)path[i]) || path[i] == '?' ||
		    path[i] == '#')
			return -1;
	/* As socket.io-client: one trailing slash, whatever was given. */
	if (path[plen - 1] == '/')
		plen--;
	n = snprintf(out, cap, "%.*s/?%s%sEIO=4&transport=websocket",
	    (int)plen, path, u->query, u->query[0] ? "&" : "");
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

int
wsurl_host_header(const struct wsurl *u, char *out, size_t cap)
{
	int n, def = u->port == (u->tls ? 443 : 80);

	if (def)
		n = snprintf(out, cap, u->ipv6 ? "[%s]" : "%s", u->host);
	else
		n = snprintf(out, cap, u->ipv6 ? "[%s]:%d" : "%s:%d", u->host,
		    u->port);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

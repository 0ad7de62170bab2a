/*
 * feed.h - a JSON feed fetched over HTTP(S) with libcurl.
 * Owns: one GET with connect and per-attempt time limits, bounded
 * redirects, retries with doubling delays on timeouts, connection failures,
 * 408, 429 and 5xx, a cap on the body, and what went wrong.  The proxy
 * environment (http_proxy, https_proxy, no_proxy) is libcurl's, honoured.
 * Never prints; blocks, sleeping between attempts.  The caller runs
 * curl_global_init() once.
 */
#ifndef GEOROOM_FEED_H
#define GEOROOM_FEED_H

#include <stddef.h>

struct feed_opts {
	long connect_timeout_ms; /* per attempt */
	long max_time_ms;        /* per attempt, all included */
	int retries;             /* further attempts after the first */
	long retry_delay_ms;     /* first wait; doubled, up to 30 s */
	size_t max_size;         /* largest body accepted */
	long max_redirs;         /* redirects followed */
	const char *user_agent;  /* borrowed */
};

/* How the fetch ended. */
enum feed_status {
	FEED_OK,
	FEED_BADURL,      /* not an http(s) URL libcurl can use */
	FEED_NOTFOUND,    /* 404, 410 */
	FEED_DENIED,      /* 401, 403, 407 */
	FEED_HTTP,        /* any other status >= 400 but 5xx */
	FEED_TEMPORARY,   /* timeouts, 408, 429, 5xx: retries ran out */
	FEED_UNAVAILABLE, /* no connection, TLS failure, redirect loop */
	FEED_TOOBIG,      /* the body passes max_size */
};

struct feed_result {
	char *body; /* owned, NUL-terminated; NULL on failure */
	size_t len;
	long status;  /* the last HTTP status, 0 if none */
	int attempts; /* made, the first one included */
};

/* Fills in the defaults: 10 s, 30 s, 3 retries, 500 ms, 64 MiB, 5. */
void feed_opts_init(struct feed_opts *o);

/*
 * GETs 'url' (borrowed).  Returns 0 with the body in 'res', or -1 with
 * the status in *st, the reason in 'err' (the URL is not repeated) and
 * 'res' without a body.  'res' is released with feed_result_release().
 */
int feed_fetch(const char *url, const struct feed_opts *o,
    struct feed_result *res, enum feed_status *st, char *err, size_t errlen);

void feed_result_release(struct feed_result *res);

/*
 * Copies 'url' for messages with any user:password@ replaced by "***@".
 * Returns 'buf'.
 */
const char *feed_redact(const char *url, char *buf, size_t len);

#endif

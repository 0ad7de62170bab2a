/* feed.c - a JSON feed fetched over HTTP(S) with libcurl. */
#include "feed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "errbuf.h"

/* Longest wait between two attempts. */
#define DELAY_MAX_MS 30000L

/* The body as it arrives, capped at feed_opts' max_size. */
struct sink {
	struct buf b;
	int toobig; /* the body went past the cap */
};

void
feed_opts_init(struct feed_opts *o)
{
	o->connect_timeout_ms = 10000;
	o->max_time_ms = 30000;
	o->retries = 3;
	o->retry_delay_ms = 500;
	o->max_size = 64UL * 1024 * 1024;
	o->max_redirs = 5;
	o->user_agent = "georoom";
}

void
feed_result_release(struct feed_result *res)
{
	free(res->body);
	res->body = NULL;
	res->len = 0;
}

const char *
feed_redact(const char *url, char *buf, size_t len)
{
	const char *scheme = strstr(url, "://"), *host, *at, *slash;

	if (scheme == NULL) {
		snprintf(buf, len, "%s", url);
		return buf;
	}
	host = scheme + 3;
	slash = host + strcspn(host, "/?#");
	at = memrchr(host, '@', (size_t)(slash - host));
	if (at == NULL)
		snprintf(buf, len, "%s", url);
	else
		snprintf(buf, len, "%.*s***%s", (int)(host - url), url, at);
	return buf;
}

static size_t
on_data(char *data, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t add = size * n;

	if (buf_append(&s->b, data, add) == -1) {
		if (errno == ENOBUFS)
			s->toobig = 1;
		return 0;
	}
	return add;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
retryable_code(CURLcode c)
{
	switch (c) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		return 1;
	default:
		return 0;
	}
}

static int
retryable_status(long status)
{
	return status == 408 || status == 429 || status >= 500;
}

static CURL *
setup(const char *url, const struct feed_opts *o, struct sink *s,
    struct curl_slist *headers, char *cerr)
{
	CURL *h = curl_easy_init();

	if (h == NULL)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, o->max_redirs);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->max_time_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)o->max_size);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	return h;
}

int
feed_fetch(const char *url, const struct feed_opts *o, struct feed_result *res,
    enum feed_status *st, char *err, size_t errlen)
{
	char cerr[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL;
	struct sink s;
	long delay = o->retry_delay_ms;
	CURL *h = NULL;
	CURLcode c = CURLE_OK;
	int r = -1;

	buf_init(&s.b, o->max_size);
	s.toobig = 0;
	res->body = NULL;
	res->len = 0;
	res->status = 0;
	res->attempts = 0;
	*st = FEED_UNAVAILABLE;
	headers = curl_slist_append(NULL,
	    "Accept: application/geo+json, "
	    "application/json;q=0.9, */*;q=0.5");
	if (headers == NULL ||
	    (h = setup(url, o, &s, headers, cerr)) == NULL) {
		errbuf_printf(err, errlen, "out of memory");
		goto out;
	}
	for (;;) {
		cerr[0] = '\0';
		buf_reset(&s.b);
		s.toobig = 0;
		res->attempts++;
		res->status = 0;
		c = curl_easy_perform(h);
		if (c == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE,
			    &res->status);
		if (c == CURLE_OK && res->status < 400)
			break;
		if (res->attempts > o->retries ||
		    !(c == CURLE_OK ? retryable_status(res->status) :
		                      retryable_code(c)))
			break;
		sleep_ms(delay);
		delay = delay * 2 > DELAY_MAX_MS ? DELAY_MAX_MS : delay * 2;
	}
	if (c == CURLE_OK && res->status < 400) {
		if ((res->body = buf_detach(&s.b, &res->len)) == NULL) {
			errbuf_printf(err, errlen, "out of memory");
			goto out;
		}
		*st = FEED_OK;
		r = 0;
		goto out;
	}
	if (c == CURLE_OK) {
		long code = res->status;

		*st = code == 404 || code == 410              ? FEED_NOTFOUND :
		    code == 401 || code == 403 || code == 407 ? FEED_DENIED :
		    retryable_status(code) ? FEED_TEMPORARY :
		                             FEED_HTTP;
		errbuf_printf(err, errlen, "HTTP status %ld", code);
	} else if (s.toobig || c == CURLE_FILESIZE_EXCEEDED) {
		*st = FEED_TOOBIG;
		errbuf_printf(err, errlen, "the body is larger than %zu bytes",
		    o->max_size);
	} else {
		*st = c == CURLE_OPERATION_TIMEDOUT ? FEED_TEMPORARY :
		    c == CURLE_URL_MALFORMAT ||
		        c == CURLE_UNSUPPORTED_PROTOCOL ?
		                                      FEED_BADURL :
		                                      FEED_UNAVAILABLE;
		errbuf_printf(err, errlen, "%s",
		    cerr[0] ? cerr : curl_easy_strerror(c));
	}
	if (res->attempts > 1) {
		size_t used = strlen(err);

		errbuf_printf(err + used, errlen - used,
		    " (after %d attempts)", res->attempts);
	}
out:
	if (h != NULL)
		curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	buf_release(&s.b);
	return r;
}

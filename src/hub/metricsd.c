/* metricsd.c - GET /metrics and GET /healthz on their own address. */
#include "metricsd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

void
metricsd_init(struct metricsd *m, struct hub *hub,
    const struct ctlreq_counters *counters,
    const struct sockaddr_storage *addr)
{
	memset(m, 0, sizeof(*m));
	m->hub = hub;
	m->counters = counters;
	m->addr = *addr;
}

static int
path_is(const struct httpreq *req, const char *path)
{
	size_t n = strlen(path);

	return req->path_len == n && memcmp(req->path, path, n) == 0;
}

static void
answer(void *arg, const struct httpreq *req, struct httpserv_reply *rep)
{
	struct metricsd *m = arg;
	char why[128];
	jv stats;

	if (path_is(req, METRICSD_PATH)) {
		stats = ctlreq_stats(m->hub, m->counters);
		rep->content_type = METRICS_CONTENT_TYPE;
		if (metrics_page(rep->body, stats) == -1)
			rep->status = 500;
		jv_free(stats);
		return;
	}
	if (path_is(req, METRICSD_HEALTH_PATH)) {
		stats = ctlreq_stats(m->hub, m->counters);
		/* The hub's own flag: set once SIGTERM began the shutdown. */
		if (metrics_healthy(stats, m->hub->shutting_down, why,
		        sizeof(why))) {
			(void)buf_appends(rep->body, "ok\n");
		} else {
			rep->status = 503;
			(void)buf_appends(rep->body, why);
			(void)buf_appends(rep->body, "\n");
		}
		jv_free(stats);
		return;
	}
	rep->status = 404;
	(void)buf_appends(rep->body,
	    "not found: try " METRICSD_PATH " or " METRICSD_HEALTH_PATH "\n");
}

int
metricsd_start(struct metricsd *m, uv_loop_t *loop, char *err, size_t errlen)
{
	struct httpserv_config cfg;
	char where[80];

	memset(&cfg, 0, sizeof(cfg));
	cfg.answer = answer;
	cfg.arg = m;
	if (httpserv_open(&m->http, loop, (const struct sockaddr *)&m->addr,
	        &cfg) == -1) {
		int e = errno;

		metricsd_describe(m, where, sizeof(where));
		snprintf(err, errlen, "cannot listen for metrics on %s: %s",
		    where, strerror(e));
		errno = e;
		return -1;
	}
	m->started = 1;
	return 0;
}

void
metricsd_describe(const struct metricsd *m, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	const void *a;
	int port;

	if (m->addr.ss_family == AF_INET6) {
		a = &((const struct sockaddr_in6 *)&m->addr)->sin6_addr;
		port = ntohs(
		    ((const struct sockaddr_in6 *)&m->addr)->sin6_port);
	} else {
		a = &((const struct sockaddr_in *)&m->addr)->sin_addr;
		port = ntohs(((const struct sockaddr_in *)&m->addr)->sin_port);
	}
	if (inet_ntop(m->addr.ss_family, a, host, sizeof(host)) == NULL)
		snprintf(host, sizeof(host), "?");
	snprintf(buf, len, "%s port %d", host,
	    m->started ? m->http.port : port);
}

void
metricsd_stop(struct metricsd *m)
{
	if (!m->started)
		return;
	m->started = 0;
	httpserv_close(&m->http);
}

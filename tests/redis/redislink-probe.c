/*
 * redislink-probe.c - drives one redislink on a libuv loop from a line
 * protocol, for tests/prog/50-redislink.t.  Built by make check, never
 * installed.
 *
 *   redislink-probe [-b BUDGET] [-t TIMEOUT_MS] [-r MIN_MS] [-R MAX_MS] URL
 *
 * Commands, one a line on standard input:
 *   sub CHANNEL            subscribe                 -> "sub ok CHANNEL"
 *   psub PATTERN           subscribe to a pattern    -> "psub ok PATTERN"
 *   pub CHANNEL MESSAGE    publish                   -> "pub ok", "pub ENOTCONN"
 *                                                       or "pub ENOBUFS"
 *   pubn N CHANNEL SIZE    publish N messages of SIZE bytes at once
 *                          -> "pubn ok=A ENOTCONN=B ENOBUFS=C"
 *   numsub CHANNEL         PUBSUB NUMSUB             -> "numsub CHANNEL N"
 *   ssub CHANNEL           SSUBSCRIBE a shard channel -> "ssub ok CHANNEL"
 *   sunsub CHANNEL         SUNSUBSCRIBE              -> "sunsub ok CHANNEL"
 *   spub CHANNEL MESSAGE   SPUBLISH                  -> as pub, "spub ..."
 *   shardnumsub CHANNEL    PUBSUB SHARDNUMSUB   -> "shardnumsub CHANNEL N"
 *   stats                  -> "stats state=S published=N dropped=N ...
 *                             subs=N"
 *   quit                   stop the link, let the loop run dry, exit
 * and, as they happen:
 *   state up|down REASON   once a change
 *   msg CHANNEL PAYLOAD    a message on a channel subscribed to
 *   pmsg PATTERN CHANNEL PAYLOAD
 *
 * The end of input and SIGTERM quit too.  Exits 0 when the loop ran dry
 * and closed, 70 when it did not; 64 and 78 for bad arguments.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "linebuf.h"
#include "redislink.h"
#include "redisurl.h"

struct probe {
	uv_loop_t loop;
	uv_pipe_t in;
	uv_signal_t sigterm, sigint;
	struct linebuf lb;
	struct redislink link;
	int quitting;
};

static void
on_state(void *ctx, enum redislink_state state, const char *reason)
{
	(void)ctx;
	printf("state %s %s\n", redislink_state_name(state), reason);
}

static void
on_message(void *ctx, const char *pattern, const char *channel, size_t chlen,
    const char *payload, size_t len)
{
	(void)ctx;
	if (pattern != NULL)
		printf("pmsg %s %.*s %.*s\n", pattern, (int)chlen, channel,
		    (int)len, payload);
	else
		printf("msg %.*s %.*s\n", (int)chlen, channel, (int)len,
		    payload);
}

static void
on_count(void *ctx, long long count)
{
	char *what = ctx;

	printf("%s %lld\n", what, count);
	free(what);
}

static const char *
errname(int e)
{
	return e == ENOTCONN ? "ENOTCONN" : e == ENOBUFS ? "ENOBUFS" : "E?";
}

static void
quit(struct probe *p)
{
	if (p->quitting)
		return;
	p->quitting = 1;
	redislink_stop(&p->link);
	uv_close((uv_handle_t *)&p->in, NULL);
	uv_close((uv_handle_t *)&p->sigterm, NULL);
	uv_close((uv_handle_t *)&p->sigint, NULL);
}

static void
pubn(struct probe *p, char *args)
{
	unsigned long n, size, ok = 0, down = 0, full = 0;
	char channel[256], *payload;

	if (sscanf(args, "%lu %255s %lu", &n, channel, &size) != 3 ||
	    (payload = malloc(size + 1)) == NULL) {
		printf("pubn bad\n");
		return;
	}
	memset(payload, 'x', size);
	for (unsigned long i = 0; i < n; i++) {
		if (redislink_publish(&p->link, channel, strlen(channel),
		        payload, size) == 0)
			ok++;
		else if (errno == ENOTCONN)
			down++;
		else
			full++;
	}
	free(payload);
	printf("pubn ok=%lu ENOTCONN=%lu ENOBUFS=%lu\n", ok, down, full);
}

static void
command(struct probe *p, char *line)
{
	const struct redislink_stats *st = &p->link.stats;
	char *arg = strchr(line, ' '), *msg;

	if (arg != NULL)
		*arg++ = '\0';
	if (strcmp(line, "sub") == 0 && arg != NULL) {
		redislink_subscribe(&p->link, arg);
		printf("sub ok %s\n", arg);
	} else if (strcmp(line, "psub") == 0 && arg != NULL) {
		redislink_psubscribe(&p->link, arg);
		printf("psub ok %s\n", arg);
	} else if (strcmp(line, "pubn") == 0 && arg != NULL) {
		pubn(p, arg);
	} else if (strcmp(line, "ssub") == 0 && arg != NULL) {
		redislink_ssubscribe(&p->link, arg, strlen(arg));
		printf("ssub ok %s\n", arg);
	} else if (strcmp(line, "sunsub") == 0 && arg != NULL) {
		redislink_sunsubscribe(&p->link, arg, strlen(arg));
		printf("sunsub ok %s\n", arg);
	} else if ((strcmp(line, "pub") == 0 || strcmp(line, "spub") == 0) &&
	    arg != NULL && (msg = strchr(arg, ' ')) != NULL) {
		int sharded = line[0] == 's';

		*msg++ = '\0';
		if ((sharded ? redislink_spublish :
		               redislink_publish)(&p->link, arg, strlen(arg),
		        msg, strlen(msg)) == 0)
			printf("%s ok\n", line);
		else
			printf("%s %s\n", line, errname(errno));
	} else if ((strcmp(line, "numsub") == 0 ||
	               strcmp(line, "shardnumsub") == 0) &&
	    arg != NULL) {
		size_t n = strlen(line) + strlen(arg) + 2;
		char *what = malloc(n);

		if (what != NULL)
			snprintf(what, n, "%s %s", line, arg);
		if (what == NULL ||
		    (line[0] == 's' ? redislink_shardnumsub :
		                      redislink_numsub)(&p->link, arg,
		        on_count, what) == -1) {
			printf("%s %s %s\n", line, arg, errname(errno));
			free(what);
		}
	} else if (strcmp(line, "stats") == 0) {
		printf("stats state=%s published=%" PRIu64 " dropped=%" PRIu64
		       " over_budget=%" PRIu64 " failed=%" PRIu64
		       " received=%" PRIu64 " attempts=%" PRIu64
		       " reconnects=%" PRIu64 " pending=%zu subs=%zu\n",
		    redislink_state_name(redislink_state(&p->link)),
		    st->published, st->dropped, st->over_budget, st->failed,
		    st->received, st->attempts, st->reconnects, st->pending,
		    redislink_subscriptions(&p->link));
	} else if (strcmp(line, "quit") == 0) {
		quit(p);
	} else {
		printf("unknown command\n");
	}
}

static void
on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct probe *p = h->data;
	char *at;
	size_t n = linebuf_space(&p->lb, &at);

	(void)hint;
	*buf = uv_buf_init(at, (unsigned)n);
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct probe *p = s->data;
	const char *line;
	size_t len;
	int rc;

	(void)buf;
	if (n == 0)
		return;
	linebuf_commit(&p->lb, n > 0 ? (size_t)n : 0);
	while (!p->quitting && (rc = linebuf_next(&p->lb, &line, &len)) != 0) {
		char *copy;

		if (rc == -1) {
			printf("line too long\n");
			continue;
		}
		if ((copy = strndup(line, len)) == NULL)
			break;
		command(p, copy);
		free(copy);
	}
	if (n < 0)
		quit(p);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	(void)signum;
	quit(h->data);
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: redislink-probe [-b budget] [-t timeout_ms] "
	    "[-r min_ms] [-R max_ms] url\n");
	return 64;
}

int
main(int argc, char **argv)
{
	struct redislink_config cfg = { .on_message = on_message,
		.on_state = on_state };
	struct redisurl url;
	struct probe p;
	char err[256];
	int c, rc;

	memset(&p, 0, sizeof(p));
	while ((c = getopt(argc, argv, "b:t:r:R:")) != -1) {
		switch (c) {
		case 'b':
			cfg.budget = strtoul(optarg, NULL, 10);
			break;
		case 't':
			cfg.timeout_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			cfg.retry_min_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'R':
			cfg.retry_max_ms = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	redisurl_init(&url);
	if (redisurl_parse(&url, argv[optind], err, sizeof(err)) == -1) {
		fprintf(stderr, "redislink-probe: %s\n", err);
		return 78;
	}
	if (uv_loop_init(&p.loop) != 0 || linebuf_init(&p.lb, 1 << 16) == -1 ||
	    redislink_init(&p.link, &p.loop, &url, &cfg) == -1) {
		perror("redislink-probe: init");
		return 70;
	}
	uv_pipe_init(&p.loop, &p.in, 0);
	if (uv_pipe_open(&p.in, 0) != 0) {
		fprintf(stderr, "redislink-probe: stdin is not a pipe\n");
		return 64;
	}
	p.in.data = p.sigterm.data = p.sigint.data = &p;
	uv_read_start((uv_stream_t *)&p.in, on_alloc, on_read);
	uv_signal_init(&p.loop, &p.sigterm);
	uv_signal_init(&p.loop, &p.sigint);
	uv_signal_start(&p.sigterm, on_signal, SIGTERM);
	uv_signal_start(&p.sigint, on_signal, SIGINT);
	redislink_start(&p.link);

	uv_run(&p.loop, UV_RUN_DEFAULT);

	redislink_release(&p.link);
	linebuf_release(&p.lb);
	redisurl_release(&url);
	rc = uv_loop_close(&p.loop);
	if (rc != 0) {
		fprintf(stderr,
		    "redislink-probe: the loop did not run dry: %s\n",
		    uv_strerror(rc));
		return 70;
	}
	printf("bye\n");
	return 0;
}

/*
 * loadgen.c - the benchmark load generator: options, then one scenario run
 * by a parent process (the producer and the clock) and its forked workers
 * (the clients, spread round-robin over one hub or several), printed as one
 * JSON object.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "cmdline.h"
#include "exits.h"
#include "mono.h"
#include "payload.h"
#include "procstat.h"
#include "producer.h"
#include "worker.h"

enum {
	OPT_CONCURRENCY = CMDLINE_LONG_ONLY,
	OPT_DURATION,
	OPT_HOLD,
	OPT_IDLE,
	OPT_PATH,
	OPT_RETAINED,
	OPT_ROOM,
	OPT_ROOMS,
	OPT_TIMEOUT,
	OPT_VIA,
	OPT_WINDOW,
};

static const struct cmdline_opt options[] = {
	{ "addrs", 'a', "N", "spread connections over N source addresses (64)",
	    NULL },
	{ "concurrency", OPT_CONCURRENCY, "N",
	    "connections each process sets up at once (256)", NULL },
	{ "control", 'c', "PATH",
	    "the first hub's control socket, to emit through (--via control)",
	    NULL },
	{ "duration", OPT_DURATION, "SEC",
	    "length of a run: a fan-out stops sending early too (5)", NULL },
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "hold", OPT_HOLD, "SEC",
	    "idle: keep the connections open SEC more seconds (0)", NULL },
	{ "hub-pid", 'p', "PID",
	    "a hub's process, for memory and CPU (repeatable: summed)", NULL },
	{ "idle", OPT_IDLE, "N",
	    "fan-out, latency: keep N more connections open in other rooms (0)",
	    NULL },
	{ "members", 'm', "N",
	    "room members, or idle connections for idle (1000)", NULL },
	{ "messages", 'n', "N", "messages in a fan-out run, at most (100000)",
	    NULL },
	{ "path", OPT_PATH, "PATH", "handshake path (/socket.io/)", NULL },
	{ "procs", 'P', "N", "worker processes sharing the clients (1)",
	    NULL },
	{ "rate", 'r', "N", "deliveries per second in a latency run (50000)",
	    NULL },
	{ "retained", OPT_RETAINED, "EVENT",
	    "idle: each join is followed by one retained EVENT, awaited",
	    NULL },
	{ "room", OPT_ROOM, "ID", "locationId of the room (1)", NULL },
	{ "rooms", OPT_ROOMS, "N",
	    "idle: spread connections over N rooms, 0 joins none (1000)",
	    NULL },
	{ "size", 's', "BYTES", "padding letters in each message (64)", NULL },
	{ "src", 'b', "ADDR", "first source address (127.1.0.1)", NULL },
	{ "timeout", OPT_TIMEOUT, "SEC",
	    "give up setting up or draining after SEC (60)", NULL },
	{ "via", OPT_VIA, "HOW", "emit through 'control' or a client's 'chat'",
	    NULL },
	{ "window", OPT_WINDOW, "N",
	    "fan-out: messages not yet delivered to all, at most (16)", NULL },
	{ 0 }
};

static const char usage[] =
    "usage: loadgen [-h] [-a n] [-b addr] [-c path] [-m n] [-n n] [-P n] "
    "[-p pid]\n"
    "               [-r n] [-s bytes] [--via control|chat] ...\n"
    "               fanout|latency|idle host:port ...\n";

/* Hub processes measured together, at most. */
#define MAX_PIDS 16

struct opts {
	const char *scenario;
	struct sockaddr_in dst[CLIENT_MAX_HUBS]; /* connection n: n % nhubs */
	unsigned nhubs;
	pid_t hub_pid[MAX_PIDS];
	unsigned npids;
	const char *path;
	const char *control;
	const char *retained;
	enum producer_via via;
	struct in_addr src;
	long long naddrs, concurrency, members, messages, procs, rate, room,
	    rooms, size, window, idle;
	double duration, hold, timeout;
};

/* What one scenario measured. */
struct result {
	uint64_t connected, joined, failed, delivered, bad, missing, complete;
	int64_t t0, t_end;
	double hub_cpu, gen_cpu;
	long rss0, rss1;
	long hub_rss1[MAX_PIDS];
	struct hist latency;
	const char *why;
};

static int
number(const char *arg, long long min, long long max, long long *out,
    const char *what)
{
	if (cmdline_number(arg, min, max, out) == 0)
		return 0;
	fprintf(stderr,
	    "loadgen: %s '%s' is not a whole number in [%lld, "
	    "%lld]\n",
	    what, arg, min, max);
	return -1;
}

/* Only loopback addresses, so that a run never leaves the host. */
static int
loopback(const char *arg, struct in_addr *a)
{
	if (inet_pton(AF_INET, arg, a) != 1 ||
	    (ntohl(a->s_addr) >> 24) != 127) {
		fprintf(stderr,
		    "loadgen: '%s' is not an address in "
		    "127.0.0.0/8\n",
		    arg);
		return -1;
	}
	return 0;
}

/* Applies one option; returns 0, or -1 once the reason is printed. */
static int
apply(int val, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	double d;

	switch (val) {
	case 'a':
		return number(arg, 1, 65536, &o->naddrs, "address count");
	case 'b':
		return loopback(arg, &o->src);
	case 'c':
		o->control = arg;
		return 0;
	case 'm':
		return number(arg, 1, 10000000, &o->members, "member count");
	case 'n':
		return number(arg, 1, 100000000, &o->messages,
		    "message count");
	case 'p': {
		long long pid;

		if (o->npids == MAX_PIDS) {
			fprintf(stderr, "loadgen: more than %d hub pids\n",
			    MAX_PIDS);
			return -1;
		}
		if (number(arg, 1, 4194304, &pid, "pid") == -1)
			return -1;
		o->hub_pid[o->npids++] = (pid_t)pid;
		return 0;
	}
	case 'P':
		return number(arg, 1, 64, &o->procs, "process count");
	case 'r':
		return number(arg, 1, 1000000000, &o->rate, "rate");
	case 's':
		return number(arg, 0, 1000000, &o->size, "size");
	case OPT_CONCURRENCY:
		return number(arg, 1, 100000, &o->concurrency, "concurrency");
	case OPT_IDLE:
		return number(arg, 0, 320000, &o->idle, "idle count");
	case OPT_DURATION:
	case OPT_HOLD:
	case OPT_TIMEOUT:
		if (cmdline_double(arg, val == OPT_HOLD ? 0 : 0.1, 3600, &d) ==
		    -1) {
			fprintf(stderr,
			    "loadgen: '%s' is not a number of "
			    "seconds in [0.1, 3600]\n",
			    arg);
			return -1;
		}
		*(val == OPT_DURATION   ? &o->duration :
		        val == OPT_HOLD ? &o->hold :
		                          &o->timeout) = d;
		return 0;
	case OPT_PATH:
		if (arg[0] != '/' || strlen(arg) >= 100) {
			fprintf(stderr,
			    "loadgen: path '%s' must start with "
			    "'/' and be short\n",
			    arg);
			return -1;
		}
		o->path = arg;
		return 0;
	case OPT_RETAINED:
		if (arg[0] == '\0' || strpbrk(arg, "\"\\") != NULL) {
			fprintf(stderr,
			    "loadgen: '%s' is not a plain event name\n", arg);
			return -1;
		}
		o->retained = arg;
		return 0;
	case OPT_ROOM:
		return number(arg, 0, 9007199254740991LL, &o->room, "room");
	case OPT_ROOMS:
		return number(arg, 0, 10000000, &o->rooms, "room count");
	case OPT_VIA:
		if (strcmp(arg, "control") == 0)
			o->via = PRODUCER_CONTROL;
		else if (strcmp(arg, "chat") == 0)
			o->via = PRODUCER_CHAT;
		else {
			fprintf(stderr,
			    "loadgen: --via takes 'control' or "
			    "'chat', not '%s'\n",
			    arg);
			return -1;
		}
		return 0;
	case OPT_WINDOW:
		return number(arg, 1, 1000000, &o->window, "window");
	default:
		return -1;
	}
}

static int
parse_hub(const char *arg, struct sockaddr_in *dst)
{
	char host[64];
	const char *colon = strrchr(arg, ':');
	long long port;

	if (colon == NULL || (size_t)(colon - arg) >= sizeof(host)) {
		fprintf(stderr, "loadgen: hub '%s' is not host:port\n", arg);
		return -1;
	}
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = '\0';
	memset(dst, 0, sizeof(*dst));
	dst->sin_family = AF_INET;
	if (loopback(host, &dst->sin_addr) == -1 ||
	    number(colon + 1, 1, 65535, &port, "port") == -1)
		return -1;
	dst->sin_port = htons((uint16_t)port);
	return 0;
}

/* The hubs' CPU seconds, summed; 0 when no pid was given. */
static double
hubs_cpu_s(const struct opts *o)
{
	double sum = 0;
	unsigned i;

	for (i = 0; i < o->npids; i++)
		sum += procstat_cpu_s(o->hub_pid[i]);
	return sum;
}

/* The hubs' resident memory, summed, and each in 'each' when not NULL. */
static long
hubs_rss_kib(const struct opts *o, long *each)
{
	long sum = 0, kib;
	unsigned i;

	for (i = 0; i < o->npids; i++) {
		kib = procstat_rss_kib(o->hub_pid[i]);
		if (each != NULL)
			each[i] = kib;
		sum += kib;
	}
	return sum;
}

static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Which clients a group of workers opens, and what they join. */
struct share {
	unsigned slot;         /* the group's first board slot */
	unsigned procs;        /* workers in the group */
	uint32_t first, count; /* connection numbers */
	uint64_t room;
	uint32_t nrooms; /* 1: receivers of 'pl' */
	const struct payload *pl;
	const char *retained; /* worker_config's */
};

/* Forks one group of workers, each with its part of the group's clients. */
static int
spawn(const struct opts *o, struct board *b, const struct share *sh,
    pid_t *pids)
{
	struct worker_config wc;
	uint32_t first = sh->first, part;
	unsigned i, k;

	for (i = 0; i < sh->procs; i++) {
		k = sh->slot + i;
		part = sh->count / sh->procs + (i < sh->count % sh->procs);
		b->slot[k].receivers = sh->nrooms == 1 ? part : 0;
		memset(&wc, 0, sizeof(wc));
		wc.index = k;
		wc.dst = o->dst;
		wc.nhubs = o->nhubs;
		wc.path = o->path;
		wc.first = first;
		wc.count = part;
		wc.src = o->src;
		wc.naddrs = (uint32_t)o->naddrs;
		wc.concurrency = (uint32_t)o->concurrency;
		wc.room = sh->room;
		wc.nrooms = sh->nrooms;
		wc.payload = sh->nrooms == 1 ? sh->pl : NULL;
		wc.retained = sh->retained;
		wc.setup_timeout_us = (int64_t)(o->timeout * 1e6);
		wc.drain_timeout_us = (int64_t)(o->timeout * 1e6);
		first += part;
		fflush(NULL);
		pids[k] = fork();
		if (pids[k] == -1) {
			fprintf(stderr, "loadgen: fork: %s\n",
			    strerror(errno));
			return -1;
		}
		if (pids[k] == 0)
			_exit(worker_run(&wc, b) == 0 ? 0 : EX_SOFTWARE);
	}
	return 0;
}

/* True while every worker that has not reported 'state' still runs. */
static int
workers_alive(const struct board *b, pid_t *pids, int state)
{
	unsigned i;
	int st;

	for (i = 0; i < b->nworkers; i++) {
		if (pids[i] <= 0 || atomic_load(&b->slot[i].state) >= state)
			continue;
		if (waitpid(pids[i], &st, WNOHANG) == pids[i]) {
			pids[i] = 0;
			return 0;
		}
	}
	return 1;
}

/* Waits for every worker to reach 'state', servicing 'p' if not NULL. */
static int
await_workers(struct board *b, pid_t *pids, int state, struct producer *p,
    int64_t deadline)
{
	while (board_count_state(b, state) < b->nworkers) {
		if (!workers_alive(b, pids, state) || mono_us() > deadline)
			return -1;
		if (p != NULL)
			producer_poll(p, 2000);
		else
			usleep(2000);
	}
	return 0;
}

static void
reap(struct board *b, pid_t *pids)
{
	unsigned i;
	int st;

	atomic_store(&b->phase, BOARD_STOP);
	for (i = 0; i < b->nworkers; i++)
		if (pids[i] > 0)
			waitpid(pids[i], &st, 0);
}

static void
collect(const struct board *b, struct result *r)
{
	unsigned i;

	for (i = 0; i < b->nworkers; i++) {
		const struct board_slot *s = &b->slot[i];
		int64_t t;

		r->connected += atomic_load(&s->connected);
		r->joined += atomic_load(&s->joined);
		r->failed += atomic_load(&s->failed);
		r->delivered += atomic_load(&s->delivered);
		r->bad += atomic_load(&s->bad);
		if (atomic_load(&s->state) == WORKER_DONE) {
			r->missing += s->missing;
			r->complete += s->complete;
			r->gen_cpu += s->cpu_s;
			hist_merge(&r->latency, &s->latency);
		}
		t = atomic_load(&s->last_delivery_us);
		if (t > r->t_end)
			r->t_end = t;
		if (r->why == NULL && s->why[0] != '\0')
			r->why = s->why;
	}
}

/* Prints a string as a JSON string. */
static void
json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void
print_common(const struct opts *o, const struct result *r, int verified)
{
	printf("\"procs\":%lld,\"targets\":%u,\"hub_cpu_s\":%.3f,"
	       "\"loadgen_cpu_s\":%.3f,\"failed\":%" PRIu64 ",\"bad\":%" PRIu64
	       ",\"verified\":%s",
	    o->procs, o->nhubs, r->hub_cpu, r->gen_cpu, r->failed, r->bad,
	    verified ? "true" : "false");
	if (r->why != NULL) {
		printf(",\"why\":");
		json_string(r->why);
	}
	printf("}\n");
}

/*
 * The hubs' settled resident memory: their sum, sampled until it stops
 * moving (5 s at most); each hub's last sample goes in 'each'.
 */
static long
settled_rss(const struct opts *o, long *each)
{
	long last = -1, now;
	int same = 0, i;

	for (i = 0; i < 20 && same < 2; i++) {
		usleep(250000);
		now = hubs_rss_kib(o, each);
		same = now == last ? same + 1 : 0;
		last = now;
	}
	return last;
}

static int
run_idle(const struct opts *o)
{
	struct share sh;
	struct result r;
	struct board *b;
	pid_t pids[128] = { 0 };
	double gen0;
	int verified, rc;

	memset(&r, 0, sizeof(r));
	if ((b = board_new((unsigned)o->procs)) == NULL)
		return EX_OSERR;
	if (o->npids > 0) {
		r.rss0 = hubs_rss_kib(o, NULL);
		r.hub_cpu = hubs_cpu_s(o);
	}
	gen0 = procstat_self_cpu_s();
	r.t0 = mono_us();
	sh.slot = 0;
	sh.procs = (unsigned)o->procs;
	sh.first = 0;
	sh.count = (uint32_t)o->members;
	sh.room = (uint64_t)o->room;
	sh.nrooms = (uint32_t)o->rooms;
	sh.pl = NULL;
	sh.retained = o->rooms > 0 ? o->retained : NULL;
	if (spawn(o, b, &sh, pids) == -1) {
		reap(b, pids);
		board_free(b);
		return EX_OSERR;
	}
	rc = await_workers(b, pids, WORKER_READY, NULL,
	    r.t0 + (int64_t)(o->timeout * 1e6) + 1000000);
	for (unsigned i = 0; i < b->nworkers; i++) {
		int64_t t = atomic_load(&b->slot[i].ready_us);

		if (t > r.t_end)
			r.t_end = t;
	}
	if (o->npids > 0) {
		r.hub_cpu = hubs_cpu_s(o) - r.hub_cpu;
		r.rss1 = settled_rss(o, r.hub_rss1);
	}
	if (o->hold > 0) {
		struct timespec ts = {
			.tv_sec = (time_t)o->hold,
			.tv_nsec = (long)((o->hold - (double)(time_t)o->hold) *
			    1e9),
		};

		nanosleep(&ts, NULL);
	}
	/* Connections had to last through the measurement, not just open. */
	collect(b, &r);
	{
		struct rusage ru;

		reap(b, pids);
		getrusage(RUSAGE_CHILDREN, &ru);
		r.gen_cpu = procstat_self_cpu_s() - gen0 +
		    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	}
	verified = rc == 0 && r.failed == 0 &&
	    r.connected == (uint64_t)o->members &&
	    (o->rooms == 0 || r.joined == (uint64_t)o->members) &&
	    (sh.retained == NULL || r.delivered == (uint64_t)o->members);
	printf("{\"scenario\":\"idle\",\"connections\":%lld,\"rooms\":%lld,"
	       "\"connected\":%" PRIu64 ",\"joined\":%" PRIu64
	       ",\"seconds\":%.3f,"
	       "\"connections_per_s\":%.1f",
	    o->members, o->rooms, r.connected, r.joined,
	    r.t_end > r.t0 ? (double)(r.t_end - r.t0) / 1e6 : 0.0,
	    r.t_end > r.t0 ?
	        (double)r.connected * 1e6 / (double)(r.t_end - r.t0) :
	        0.0);
	if (sh.retained != NULL)
		printf(",\"retained\":%" PRIu64, r.delivered);
	if (o->npids > 0) {
		printf(",\"rss_before_kib\":%ld,\"rss_after_kib\":%ld,"
		       "\"bytes_per_connection\":%.0f,\"hub_rss_after_kib\":[",
		    r.rss0, r.rss1,
		    r.connected ? (double)(r.rss1 - r.rss0) * 1024.0 /
		            (double)r.connected :
		                  0.0);
		for (unsigned i = 0; i < o->npids; i++)
			printf("%s%ld", i ? "," : "", r.hub_rss1[i]);
		printf("]");
	}
	printf(",");
	print_common(o, &r, verified);
	board_free(b);
	return verified ? 0 : r.connected == 0 ? EX_UNAVAILABLE : EX_TEMPFAIL;
}

/*
 * Sends as fast as the window allows, 'messages' in all or for 'duration'
 * seconds, whichever ends first.
 */
static int
produce_burst(const struct opts *o, struct producer *p, struct board *b,
    pid_t *pids, int64_t t0)
{
	uint64_t seq = 0, total = (uint64_t)o->messages;
	int64_t end = t0 + (int64_t)(o->duration * 1e6);
	int64_t deadline = t0 + (int64_t)(o->timeout * 1e6);

	while (seq < total && mono_us() < end) {
		uint64_t done = board_completed(b);

		while (seq < total && seq - done < (uint64_t)o->window)
			if (producer_send(p, seq++, (uint64_t)mono_us()) == -1)
				return -1;
		if (producer_poll(p, 500) == -1 ||
		    !workers_alive(b, pids, WORKER_DONE) ||
		    mono_us() > deadline)
			return -1;
	}
	return 0;
}

/* Sends at 'rate' deliveries per second for 'duration' seconds. */
static int
produce_paced(const struct opts *o, struct producer *p, struct board *b,
    pid_t *pids, int64_t t0)
{
	double interval = (double)o->members * 1e6 / (double)o->rate;
	int64_t end = t0 + (int64_t)(o->duration * 1e6), due, now;
	uint64_t seq;

	for (seq = 0;; seq++) {
		due = t0 + (int64_t)((double)seq * interval);
		if (due >= end)
			break;
		while ((now = mono_us()) < due) {
			if (producer_poll(p, due - now) == -1 ||
			    !workers_alive(b, pids, WORKER_DONE))
				return -1;
		}
		/* The due time goes in the payload, not the time it left:
		 * a producer held up by the hub does not hide the wait. */
		if (producer_send(p, seq, (uint64_t)due) == -1)
			return -1;
	}
	return 0;
}

static int
run_traffic(const struct opts *o, int latency)
{
	struct producer_config pc;
	struct producer p;
	struct payload pl;
	struct share recv, idle;
	struct result r;
	struct board *b;
	pid_t pids[128] = { 0 };
	char room[32];
	double hub0 = 0, gen0;
	int64_t deadline;
	int verified, rc = -1;

	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	p.fd = p.epfd = -1;
	snprintf(room, sizeof(room), "%lld", o->room);
	if (payload_init(&pl, room, (size_t)o->size) == -1) {
		fprintf(stderr, "loadgen: payload: %s\n", strerror(errno));
		return EX_SOFTWARE;
	}
	/* The receivers, then the idle connections kept open beside them
	 * in rooms of their own, up to 10000 a worker. */
	memset(&recv, 0, sizeof(recv));
	recv.procs = (unsigned)o->procs;
	recv.count = (uint32_t)o->members;
	recv.room = (uint64_t)o->room;
	recv.nrooms = 1;
	recv.pl = &pl;
	memset(&idle, 0, sizeof(idle));
	idle.slot = recv.procs;
	idle.procs = (unsigned)((o->idle + 9999) / 10000);
	idle.first = recv.count;
	idle.count = (uint32_t)o->idle;
	idle.room = (uint64_t)o->room + 1;
	idle.nrooms = 1000;
	if ((b = board_new(recv.procs + idle.procs)) == NULL) {
		payload_release(&pl);
		return EX_OSERR;
	}
	if (spawn(o, b, &recv, pids) == -1 ||
	    (idle.procs > 0 && spawn(o, b, &idle, pids) == -1))
		goto out;
	deadline = mono_us() + (int64_t)(o->timeout * 1e6) + 1000000;
	if (await_workers(b, pids, WORKER_READY, NULL, deadline) == -1 ||
	    (collect(b, &r), r.joined != (uint64_t)(o->members + o->idle))) {
		r.why = r.why ? r.why : "set-up failed";
		goto report;
	}
	memset(&r, 0, sizeof(r));
	memset(&pc, 0, sizeof(pc));
	pc.via = o->via;
	pc.control = o->control;
	pc.dst = o->dst[0];
	pc.path = o->path;
	pc.src = o->src;
	pc.payload = &pl;
	/* The control socket is the first hub's: its reply counts the
	 * members there, connections 0, nhubs, 2 nhubs... */
	pc.members = (uint64_t)(o->members + o->nhubs - 1) / o->nhubs;
	if (producer_open(&p, &pc, mono_us() + 10000000) == -1) {
		r.why = p.why;
		goto report;
	}
	if (o->npids > 0)
		hub0 = hubs_cpu_s(o);
	gen0 = procstat_self_cpu_s();
	r.t0 = mono_us();
	atomic_store(&b->phase, BOARD_RUN);
	if (latency)
		rc = produce_paced(o, &p, b, pids, r.t0);
	else
		rc = produce_burst(o, &p, b, pids, r.t0);
	atomic_store(&b->messages, p.sent);
	atomic_store(&b->phase, BOARD_FINISH);
	deadline = mono_us() + (int64_t)(o->timeout * 1e6) + 1000000;
	if (await_workers(b, pids, WORKER_DONE, &p, deadline) == -1)
		rc = -1;
	while (
	    p.confirmed + p.bad < p.sent && !p.broken && mono_us() < deadline)
		producer_poll(&p, 2000);
	if (o->npids > 0)
		r.hub_cpu = hubs_cpu_s(o) - hub0;
	r.gen_cpu = procstat_self_cpu_s() - gen0;
	collect(b, &r);
	if (r.why == NULL && p.why[0] != '\0')
		r.why = p.why;
report:
	verified = rc == 0 && r.bad == 0 && r.missing == 0 && r.failed == 0 &&
	    r.complete == (uint64_t)o->members && p.bad == 0 &&
	    p.confirmed == p.sent && !p.broken && p.sent > 0;
	{
		double secs = r.t_end > r.t0 ? (double)(r.t_end - r.t0) / 1e6 :
		                               0.0;

		printf("{\"scenario\":\"%s\",\"via\":\"%s\",\"members\":%lld,"
		       "\"idle\":%lld,\"size\":%lld,\"messages\":%" PRIu64
		       ",\"deliveries\":%" PRIu64 ",\"missing\":%" PRIu64
		       ",\"seconds\":%.3f,\"deliveries_per_s\":%.1f",
		    latency ? "latency" : "fanout",
		    o->via == PRODUCER_CHAT ? "chat" : "control", o->members,
		    o->idle, o->size, p.sent, r.delivered, r.missing, secs,
		    secs > 0 ? (double)r.delivered / secs : 0.0);
		if (latency)
			printf(",\"rate\":%lld", o->rate);
		else
			printf(",\"window\":%lld", o->window);
		printf(",\"latency_us\":{\"p50\":%" PRIu64 ",\"p90\":%" PRIu64
		       ",\"p99\":%" PRIu64 ",\"p999\":%" PRIu64
		       ",\"max\":%" PRIu64 "},",
		    hist_quantile(&r.latency, 0.5),
		    hist_quantile(&r.latency, 0.9),
		    hist_quantile(&r.latency, 0.99),
		    hist_quantile(&r.latency, 0.999), r.latency.max);
		print_common(o, &r, verified);
	}
	rc = verified ? 0 : r.bad > 0 || p.bad > 0 ? EX_PROTOCOL : EX_TEMPFAIL;
out:
	reap(b, pids);
	producer_close(&p);
	board_free(b);
	payload_release(&pl);
	return rc < 0 ? EX_TEMPFAIL : rc;
}

/* apply() says why it refused. */
static const struct cmdline_prog prog = {
	.name = "loadgen",
	.usage = usage,
	.opts = options,
	.apply = apply,
	.env_status = EX_USAGE,
};

int
main(int argc, char **argv)
{
	struct opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.path = "/socket.io/";
	o.via = PRODUCER_CONTROL;
	inet_pton(AF_INET, "127.1.0.1", &o.src);
	o.naddrs = 64;
	o.concurrency = 256;
	o.members = 1000;
	o.messages = 100000;
	o.procs = 1;
	o.rate = 50000;
	o.room = 1;
	o.rooms = 1000;
	o.size = 64;
	o.window = 16;
	o.duration = 5;
	o.timeout = 60;

	if (cmdline_parse(&prog, argc, argv, &o, stdout, stderr, &rc) == -1)
		return rc;
	if (argc - optind < 2 || argc - optind > CLIENT_MAX_HUBS + 1) {
		fputs(usage, stderr);
		return EX_USAGE;
	}
	o.scenario = argv[optind];
	for (int i = optind + 1; i < argc; i++)
		if (parse_hub(argv[i], &o.dst[o.nhubs++]) == -1)
			return EX_USAGE;
	if ((ntohl(o.src.s_addr) & 0xffffff) + (uint64_t)o.naddrs > 0xffffff) {
		fprintf(stderr,
		    "loadgen: %lld source addresses from the one "
		    "given leave 127.0.0.0/8\n",
		    o.naddrs);
		return EX_USAGE;
	}
	if (o.via == PRODUCER_CONTROL && o.control == NULL &&
	    strcmp(o.scenario, "idle") != 0) {
		fprintf(stderr, "loadgen: --via control needs --control\n");
		return EX_USAGE;
	}
	raise_fd_limit();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(o.scenario, "idle") == 0)
		return run_idle(&o);
	if (strcmp(o.scenario, "fanout") == 0)
		return run_traffic(&o, 0);
	if (strcmp(o.scenario, "latency") == 0)
		return run_traffic(&o, 1);
	fprintf(stderr, "loadgen: unknown scenario '%s'\n", o.scenario);
	return EX_USAGE;
}

/*
 * query.c - who, rooms and stats: one request to georoomd's control
 * socket, and the exit status its failure deserves.
 */
#include "query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "ctlclient.h"
#include "exits.h"

static void say(const struct query *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A warning, through the hook. */
static void
say(const struct query *q, const char *fmt, ...)
{
	va_list ap;

	if (q->warn == NULL)
		return;
	va_start(ap, fmt);
	q->warn(q->warn_arg, 0, fmt, ap);
	va_end(ap);
}

/*
 * The exit status of a failure: the connection's class 'net', or, when
 * a reply came, its class 'reply'.  The one place the statuses are chosen.
 */
static int
query_exit(enum ctlclient_err net, enum ctl_status reply)
{
	switch (net) {
	case CTLCLIENT_OK:
		break;
	case CTLCLIENT_DENIED:
		return EX_NOPERM;
	case CTLCLIENT_TIMEOUT:
		return EX_TEMPFAIL;
	case CTLCLIENT_PROTOCOL:
		return EX_PROTOCOL;
	case CTLCLIENT_LOCAL:
		return EX_SOFTWARE;
	default: /* unreachable, closed */
		return EX_UNAVAILABLE;
	}
	switch (reply) {
	case CTL_OK:
		return 0;
	case CTL_ERR_REFUSED:
		return EX_CONFIG;
	default:
		return EX_PROTOCOL;
	}
}

/* Prints the array 'list' (consumed), one element a line. */
static int
print_list(const struct query *q, jv list)
{
	char why[1024];
	int n;

	n = jv_get_kind(list) == JV_KIND_ARRAY ?
	    jv_array_length(jv_copy(list)) :
	    0;
	for (int i = 0; i < n && !q->out->closed; i++) {
		output_json(q->out,
		    jv_dump_string(jv_array_get(jv_copy(list), i), 0), why,
		    sizeof(why));
		if (why[0] != '\0')
			say(q, "%s", why);
	}
	jv_free(list);
	/* A reader that left ends the list quietly. */
	if (!q->out->closed || q->out->error == EPIPE)
		return 0;
	say(q, "writing standard output: %s", strerror(q->out->error));
	return EX_SOFTWARE;
}

/*
 * A cluster's listing that some server did not answer in time is printed,
 * then said to be partial, with a status of its own: what is missing is
 * not known.
 */
static int
check_complete(const struct query *q, jv body)
{
	jv complete = jv_object_get(jv_copy(body), jv_string("complete"));
	jv servers = jv_object_get(jv_copy(body), jv_string("servers"));
	jv answered = jv_object_get(jv_copy(body), jv_string("answered"));
	int partial = jv_get_kind(complete) == JV_KIND_FALSE;

	if (partial)
		say(q,
		    "incomplete: %g of the %g other servers answered in time",
		    jv_get_kind(answered) == JV_KIND_NUMBER ?
		        jv_number_value(answered) :
		        0,
		    jv_get_kind(servers) == JV_KIND_NUMBER ?
		        jv_number_value(servers) - 1 :
		        0);
	jv_free(complete);
	jv_free(servers);
	jv_free(answered);
	return partial ? EX_TEMPFAIL : 0;
}

int
query_ask(const struct query *q)
{
	struct ctlclient cc;
	struct ctl_reply r;
	char path[108];
	const char *control = q->control;
	jv req;
	int rc;

	if (control == NULL) {
		if (ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), path,
		        sizeof(path)) == -1) {
			say(q, "default control socket path too long; use -c");
			return EX_CONFIG;
		}
		control = path;
	}
	ctlclient_init(&cc, q->timeout > 0 ? (int)(q->timeout * 1000) : 10000);
	if (ctlclient_connect(&cc, control) == -1) {
		say(q, "cannot connect to the control socket '%s': %s",
		    control, cc.why);
		return query_exit(cc.err, CTL_OK);
	}
	req = q->what == QUERY_SOCKETS ? ctl_req_sockets(q->ns, q->room) :
	    q->what == QUERY_ROOMS     ? ctl_req_rooms(q->ns) :
	                                 ctl_req_stats();
	if (q->local && q->what != QUERY_STATS)
		req = jv_object_set(req, jv_string("local"), jv_true());
	if (ctlclient_call_reply(&cc, req, &r) == -1) {
		say(q, "control socket '%s': %s", control, cc.why);
		rc = query_exit(cc.err, CTL_OK);
	} else if (r.status == CTL_ERR_REFUSED) {
		say(q, "the hub refused: %s", r.error);
		rc = query_exit(CTLCLIENT_OK, r.status);
	} else if (r.status != CTL_OK) {
		say(q, "control socket '%s': %s", control, r.error);
		rc = query_exit(CTLCLIENT_OK, r.status);
	} else if (q->what == QUERY_STATS) {
		/* The counters as one object, the protocol's "ok" left out. */
		rc = print_list(q,
		    jv_array_append(jv_array(),
		        jv_object_delete(jv_copy(r.body), jv_string("ok"))));
	} else {
		rc = print_list(q,
		    jv_object_get(jv_copy(r.body),
		        jv_string(
		            q->what == QUERY_SOCKETS ? "sockets" : "rooms")));
		if (rc == 0)
			rc = check_complete(q, r.body);
	}
	ctl_reply_release(&r);
	ctlclient_release(&cc);
	return rc;
}

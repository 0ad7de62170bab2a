/*
 * query.c - who and rooms: one request to georoomd's control socket, and
 * the exit status its failure deserves.
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

int
query_ask(const struct query *q)
{
	struct ctlclient cc;
	char path[108];
	const char *member, *control = q->control;
	char why[1024];
	jv req, reply, list, ok;
	int n, rc = 0;

	if (control == NULL) {
		if (ctl_default_path(NULL, getenv("XDG_RUNTIME_DIR"), path,
		    sizeof(path)) == -1) {
			say(q, "default control socket path too long; use -c");
			return EX_CONFIG;
		}
		control = path;
	}
	ctlclient_init(&cc, q->timeout > 0 ?
	    (int)(q->timeout * 1000) : 10000);
	if (ctlclient_connect(&cc, control) == -1) {
		int e = errno;

		say(q, "cannot connect to the control socket '%s': %s",
		    control, strerror(e));
		return e == EACCES || e == EPERM ? EX_NOPERM : EX_UNAVAILABLE;
	}
	req = jv_object_set(jv_object(), jv_string("ns"), jv_string(q->ns));
	if (q->room != NULL) {
		req = jv_object_set(req, jv_string("op"), jv_string("sockets"));
		req = jv_object_set(req, jv_string("room"),
		    jv_string(q->room));
		member = "sockets";
	} else {
		req = jv_object_set(req, jv_string("op"), jv_string("rooms"));
		member = "rooms";
	}
	reply = ctlclient_call(&cc, req);
	ctlclient_release(&cc);
	if (!jv_is_valid(reply)) {
		jv m = jv_invalid_get_msg(reply);
		const char *s = jv_get_kind(m) == JV_KIND_STRING ?
		    jv_string_value(m) : "no reply";

		say(q, "control socket '%s': %s", control, s);
		rc = strncmp(s, "bad reply", 9) == 0 ? EX_PROTOCOL :
		    strncmp(s, "no reply", 8) == 0 ? EX_TEMPFAIL :
		    EX_UNAVAILABLE;
		jv_free(m);
		return rc;
	}
	ok = jv_object_get(jv_copy(reply), jv_string("ok"));
	if (jv_get_kind(ok) != JV_KIND_TRUE) {
		jv e = jv_object_get(reply, jv_string("error"));

		jv_free(ok);
		say(q, "the hub refused: %s", jv_get_kind(e) ==
		    JV_KIND_STRING ? jv_string_value(e) : "no reason given");
		jv_free(e);
		return EX_CONFIG;
	}
	jv_free(ok);
	list = jv_object_get(reply, jv_string(member));
	n = jv_get_kind(list) == JV_KIND_ARRAY ? jv_array_length(jv_copy(list))
	    : 0;
	for (int i = 0; i < n && !q->out->closed; i++) {
		output_json(q->out, jv_dump_string(jv_array_get(jv_copy(list),
		    i), 0), why, sizeof(why));
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

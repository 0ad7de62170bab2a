/* notify.c - georoomd told of stored locations (see notify.h). */
#include "notify.h"

#include <stdio.h>
#include <string.h>

#include "roommsg.h"

void
notify_init(struct notify *n, const char *path, int timeout_ms)
{
	ctlclient_init(&n->hub, timeout_ms);
	n->path = path;
	n->net = CTLCLIENT_OK;
	n->reply = CTL_OK;
	n->done = n->refused = 0;
	n->why[0] = n->refusal[0] = '\0';
}

void
notify_release(struct notify *n)
{
	ctlclient_release(&n->hub);
}

/* Records the transport failure the client just had, unless one came first. */
static int
net_failed(struct notify *n, const char *sep)
{
	if (n->net == CTLCLIENT_OK && n->reply == CTL_OK) {
		n->net = n->hub.err;
		snprintf(n->why, sizeof(n->why), "hub at %s%s%s", n->path, sep,
		    n->hub.why);
	}
	return -1;
}

static int
open_hub(struct notify *n)
{
	if (n->hub.fd != -1 || ctlclient_connect(&n->hub, n->path) == 0)
		return 0;
	return net_failed(n, " unreachable: ");
}

int
notify_check(struct notify *n)
{
	struct ctl_reply r;
	int rc;

	if (open_hub(n) == -1)
		return -1;
	if (ctlclient_call_reply(&n->hub, ctl_req_stats(), &r) == -1) {
		ctl_reply_release(&r);
		return net_failed(n, ": ");
	}
	rc = r.status == CTL_OK ? 0 : -1;
	if (rc == -1) {
		n->reply = r.status;
		snprintf(n->why, sizeof(n->why),
		    "hub at %s refused the stats "
		    "request: %s",
		    n->path, r.error);
	}
	ctl_reply_release(&r);
	return rc;
}

/* The emit announcing 'it' (borrowed). */
static jv
emit_request(const char *ns, const char *event, const struct roommsg_item *it)
{
	char buf[ROOMMSG_ROOM_MAX];
	const char *room = roommsg_item_room(it, buf);
	jv data = roommsg_payload(it), req;

	req = ctl_req_emit(ns, room, NULL, roommsg_item_event(it, event),
	    jv_string_value(data),
	    (size_t)jv_string_length_bytes(jv_copy(data)));
	jv_free(data);
	return req;
}

/* Reads the replies to every request sent. */
static void
read_replies(struct notify *n)
{
	while (n->hub.pending > 0) {
		struct ctl_reply r;

		if (ctlclient_recv_reply(&n->hub, &r) == -1) {
			ctl_reply_release(&r);
			net_failed(n, ": ");
			return;
		}
		if (r.status == CTL_OK) {
			n->done++;
		} else if (r.status == CTL_ERR_REFUSED) {
			if (n->refused++ == 0)
				snprintf(n->refusal, sizeof(n->refusal), "%s",
				    r.error);
		} else {
			/* A broken reply: what follows cannot be trusted. */
			if (n->net == CTLCLIENT_OK && n->reply == CTL_OK) {
				n->reply = CTL_ERR_PROTOCOL;
				snprintf(n->why, sizeof(n->why),
				    "hub at %s: %s", n->path, r.error);
			}
			ctl_reply_release(&r);
			return;
		}
		ctl_reply_release(&r);
	}
}

int
notify_emit(struct notify *n, const char *ns, const char *event,
    const struct roommsg_item *items, size_t count)
{
	if (open_hub(n) == -1)
		return -1;
	for (size_t i = 0; i < count; i++) {
		jv req;
		int r;

		req = emit_request(ns, event, &items[i]);
		r = ctlclient_send_text(&n->hub, jv_string_value(req),
		    (size_t)jv_string_length_bytes(jv_copy(req)));
		jv_free(req);
		if (r == -1) {
			net_failed(n, ": ");
			break;
		}
	}
	read_replies(n);
	if (n->refused > 0 && n->reply == CTL_OK && n->net == CTLCLIENT_OK)
		n->reply = CTL_ERR_REFUSED;
	return n->net == CTLCLIENT_OK && n->reply == CTL_OK ? 0 : -1;
}

/* metrics.c - the stats reply as Prometheus metrics, and health. */
#include "metrics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "promtext.h"
#include "version.h"

/*
 * One member of the stats reply and the metric it becomes: its value
 * times 'scale' (a unit the name says).  A NULL name: the member shows
 * elsewhere (a total of labelled values, or a subset of one).
 */
struct metric_def {
	const char *key;
	const char *name;
	const char *type;
	const char *help;
	double scale;
};

#define COUNTER(k, n, h) \
	{ \
		k, n, "counter", h, 1 \
	}
#define GAUGE(k, n, h) \
	{ \
		k, n, "gauge", h, 1 \
	}
#define SHOWN_ELSEWHERE(k) \
	{ \
		k, NULL, NULL, NULL, 0 \
	}

static const struct metric_def defs[] = {
	GAUGE("connections", "georoomd_connections",
	    "Open WebSocket sessions (Engine.IO connections)."),
	COUNTER("connections_total", "georoomd_connections_opened_total",
	    "WebSocket sessions opened."),
	GAUGE("namespaces", "georoomd_namespaces", "Namespaces served."),
	SHOWN_ELSEWHERE("sockets"), /* by_namespace */
	SHOWN_ELSEWHERE("rooms"),
	COUNTER("messages_in", "georoomd_messages_received_total",
	    "Socket.IO packets received from clients."),
	COUNTER("messages_out", "georoomd_messages_delivered_total",
	    "Socket.IO packets queued to recipients: one per recipient of "
	    "a broadcast (deliveries)."),
	COUNTER("bytes_in", "georoomd_received_bytes_total",
	    "Bytes received from clients."),
	COUNTER("bytes_out", "georoomd_sent_bytes_total",
	    "Bytes handed to the kernel for clients."),
	COUNTER("dropped_slow", "georoomd_slow_clients_dropped_total",
	    "Clients dropped for unsent messages over --max-backlog."),
	COUNTER("protocol_errors", "georoomd_protocol_errors_total",
	    "Connections closed for input that breaks the protocol."),
	SHOWN_ELSEWHERE("refused"), /* refused_by */
	COUNTER("refused_at_accept",
	    "georoomd_handshakes_refused_at_accept_total",
	    "Of the handshakes refused, those refused as soon as accepted, "
	    "before their request was read."),
	SHOWN_ELSEWHERE("refused_per_ip"),
	COUNTER("dropped_unfinished", "georoomd_unfinished_dropped_total",
	    "Clients dropped for unfinished messages over --max-unfinished."),
	COUNTER("message_timeouts", "georoomd_message_timeouts_total",
	    "Clients dropped for a message not whole within "
	    "--message-timeout."),
	COUNTER("events_rate_limited", "georoomd_rate_limited_events_total",
	    "Events dropped over --rate-limit."),
	COUNTER("dropped_rate_limited",
	    "georoomd_rate_limited_clients_dropped_total",
	    "Clients disconnected for staying over --rate-limit."),
	COUNTER("refused_connect", "georoomd_auth_failures_total",
	    "CONNECTs refused for a missing or invalid token."),
	GAUGE("control_connections", "georoomd_control_connections",
	    "Open control socket connections."),
	COUNTER("control_connections_total",
	    "georoomd_control_connections_opened_total",
	    "Control socket connections accepted."),
	COUNTER("control_requests", "georoomd_control_requests_total",
	    "Control socket requests received."),
	GAUGE("acks_pending", "georoomd_acks_pending",
	    "Acknowledgements awaited from clients."),
	COUNTER("acks_received", "georoomd_acks_received_total",
	    "Acknowledgements received."),
	COUNTER("acks_unknown", "georoomd_acks_unknown_total",
	    "Acknowledgements for no awaited id, dropped."),
	COUNTER("acks_expired", "georoomd_acks_expired_total",
	    "Acknowledgements not received in time."),
	COUNTER("acks_disconnected", "georoomd_acks_disconnected_total",
	    "Acknowledgements never received: the client left."),
	COUNTER("acks_over_cap", "georoomd_acks_over_cap_total",
	    "Broadcasts sent without an ack id: the client awaited too many."),
	COUNTER("conflated", "georoomd_conflated_total",
	    "Messages that took the place of an older one of their room and "
	    "event in a slow client's queue (--conflate)."),
	GAUGE("retained_rooms", "georoomd_retained_rooms",
	    "Rooms holding a retained message (--retain)."),
	GAUGE("retained_bytes", "georoomd_retained_bytes",
	    "Bytes of the retained messages, as --retain-max-bytes counts "
	    "them."),
	COUNTER("retained_kept", "georoomd_retained_kept_total",
	    "Messages retained, each replacing its room's last."),
	COUNTER("retained_sent", "georoomd_retained_sent_total",
	    "Retained messages sent to sockets that joined."),
	COUNTER("retained_evicted", "georoomd_retained_evicted_total",
	    "Rooms' retained messages dropped to stay under "
	    "--retain-max-bytes."),
	COUNTER("retained_expired", "georoomd_retained_expired_total",
	    "Rooms' retained messages dropped past --retain-ttl."),
	GAUGE("recovery_sessions", "georoomd_recovery_sessions",
	    "Sessions kept for connection state recovery."),
	GAUGE("recovery_session_bytes", "georoomd_recovery_session_bytes",
	    "Memory of the sessions kept."),
	GAUGE("recovery_events", "georoomd_recovery_events",
	    "Events buffered for sessions to recover."),
	GAUGE("recovery_event_bytes", "georoomd_recovery_event_bytes",
	    "Memory of the events buffered."),
	COUNTER("recovery_recovered", "georoomd_recovery_recovered_total",
	    "Sessions recovered, their missed events sent."),
	COUNTER("recovery_failed", "georoomd_recovery_failed_total",
	    "Recoveries asked for that found no session."),
	COUNTER("recovery_replayed", "georoomd_recovery_replayed_total",
	    "Missed events sent again to recovered sessions."),
	COUNTER("recovery_sessions_dropped",
	    "georoomd_recovery_sessions_dropped_total",
	    "Sessions dropped over the most kept, oldest first."),
	COUNTER("recovery_events_dropped",
	    "georoomd_recovery_events_dropped_total",
	    "Events dropped over the bytes buffered, oldest first."),
	SHOWN_ELSEWHERE("redis"), /* its state, below */
	COUNTER("redis_published", "georoomd_redis_published_total",
	    "Broadcasts and answers published to Redis."),
	COUNTER("redis_dropped", "georoomd_redis_dropped_total",
	    "Broadcasts and answers not published: link down, over budget, "
	    "or too big."),
	COUNTER("redis_received", "georoomd_redis_received_total",
	    "Broadcasts of other nodes delivered here."),
	COUNTER("redis_requests", "georoomd_redis_requests_total",
	    "Requests of other nodes answered or done."),
	COUNTER("redis_malformed", "georoomd_redis_malformed_total",
	    "Messages from Redis not understood, dropped."),
	COUNTER("redis_asked", "georoomd_redis_asked_total",
	    "Requests this node made of the others."),
	COUNTER("redis_incomplete", "georoomd_redis_incomplete_total",
	    "Requests not every node answered in time."),
	COUNTER("redis_reconnects", "georoomd_redis_reconnects_total",
	    "Times the Redis link came up again after having been up."),
	GAUGE("redis_pending_bytes", "georoomd_redis_pending_bytes",
	    "Bytes published and not yet answered by Redis (publish lag)."),
	{ "redis_wait_ms", "georoomd_redis_reply_wait_seconds", "gauge",
	    "How long the link has waited for Redis's next reply while "
	    "commands are unanswered; 0 when none is.",
	    0.001 },
};

static const char *const redis_states[] = { "up", "connecting", "down" };

static const struct metric_def *
def_of(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (strcmp(defs[i].key, key) == 0)
			return &defs[i];
	return NULL;
}

/* The number member 'key' of 'o', in *v: 0, or -1 when there is none. */
static int
number_of(jv o, const char *key, double *v)
{
	jv m = jv_object_get(jv_copy(o), jv_string(key));
	int rc = -1;

	if (jv_get_kind(m) == JV_KIND_NUMBER) {
		*v = jv_number_value(m);
		rc = 0;
	}
	jv_free(m);
	return rc;
}

/*
 * One family whose samples are the number members of the object member
 * 'key' of 'stats', each under label 'label' ('sub' NULL), or, for objects
 * of objects, their member 'sub'.  Nothing when 'key' is absent.
 */
static int
labelled(struct buf *out, jv stats, const char *key, const char *sub,
    const char *name, const char *type, const char *help, const char *label)
{
	jv o = jv_object_get(jv_copy(stats), jv_string(key));
	struct promtext_label l = { label, NULL, 0 };
	int rc = 0, iter;
	double v;

	if (jv_get_kind(o) != JV_KIND_OBJECT) {
		jv_free(o);
		return 0;
	}
	if (promtext_family(out, name, type, help) == -1) {
		jv_free(o);
		return -1;
	}
	for (iter = jv_object_iter(o);
	     rc == 0 && jv_object_iter_valid(o, iter);
	     iter = jv_object_iter_next(o, iter)) {
		jv k = jv_object_iter_key(o, iter);
		jv m = jv_object_iter_value(o, iter);

		if (sub != NULL) {
			if (jv_get_kind(m) == JV_KIND_OBJECT &&
			    number_of(m, sub, &v) == 0) {
				l.value = jv_string_value(k);
				l.len = (size_t)jv_string_length_bytes(
				    jv_copy(k));
				rc = promtext_sample(out, name, &l, 1, v);
			}
		} else if (jv_get_kind(m) == JV_KIND_NUMBER) {
			l.value = jv_string_value(k);
			l.len = (size_t)jv_string_length_bytes(jv_copy(k));
			rc = promtext_sample(out, name, &l, 1,
			    jv_number_value(m));
		}
		jv_free(k);
		jv_free(m);
	}
	jv_free(o);
	return rc;
}

/* The link's state: a 0/1 gauge, and one sample per state. */
static int
redis_state(struct buf *out, jv stats)
{
	jv s = jv_object_get(jv_copy(stats), jv_string("redis"));
	struct promtext_label l = { "state", NULL, 0 };
	const char *state;
	size_t i;
	int rc = 0;

	if (jv_get_kind(s) != JV_KIND_STRING ||
	    strcmp(jv_string_value(s), "off") == 0) {
		jv_free(s);
		return 0;
	}
	state = jv_string_value(s);
	if (promtext_family(out, "georoomd_redis_up", "gauge",
	        "1 when the link to Redis is up, else 0.") == -1 ||
	    promtext_sample(out, "georoomd_redis_up", NULL, 0,
	        strcmp(state, "up") == 0) == -1 ||
	    promtext_family(out, "georoomd_redis_link_state", "gauge",
	        "The link to Redis: 1 for the state it is in.") == -1)
		rc = -1;
	for (i = 0;
	     rc == 0 && i < sizeof(redis_states) / sizeof(*redis_states);
	     i++) {
		l.value = redis_states[i];
		l.len = strlen(redis_states[i]);
		rc = promtext_sample(out, "georoomd_redis_link_state", &l, 1,
		    strcmp(state, redis_states[i]) == 0);
	}
	jv_free(s);
	return rc;
}

/* The members no definition names, as georoomd_<member>, untyped. */
static int
others(struct buf *out, jv stats)
{
	char name[128];
	int rc = 0, iter, n;

	for (iter = jv_object_iter(stats);
	     rc == 0 && jv_object_iter_valid(stats, iter);
	     iter = jv_object_iter_next(stats, iter)) {
		jv k = jv_object_iter_key(stats, iter);
		jv m = jv_object_iter_value(stats, iter);

		n = snprintf(name, sizeof(name), "georoomd_%s",
		    jv_string_value(k));
		if (jv_get_kind(m) == JV_KIND_NUMBER &&
		    def_of(jv_string_value(k)) == NULL && n > 0 &&
		    (size_t)n < sizeof(name) && promtext_name_ok(name))
			rc = promtext_family(out, name, "untyped",
			         "A member of the stats reply.") == -1 ||
			        promtext_sample(out, name, NULL, 0,
			            jv_number_value(m)) == -1 ?
			    -1 :
			    0;
		jv_free(k);
		jv_free(m);
	}
	return rc;
}

int
metrics_page(struct buf *out, jv stats)
{
	struct promtext_label ver = { "version", GEOROOM_VERSION,
		sizeof(GEOROOM_VERSION) - 1 };
	size_t i;
	double v;

	if (jv_get_kind(stats) != JV_KIND_OBJECT) {
		errno = EINVAL;
		return -1;
	}
	if (promtext_family(out, "georoomd_build_info", "gauge",
	        "Always 1; its label is georoomd's version.") == -1 ||
	    promtext_sample(out, "georoomd_build_info", &ver, 1, 1) == -1)
		return -1;
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		if (defs[i].name == NULL || number_of(stats, defs[i].key, &v))
			continue;
		if (promtext_family(out, defs[i].name, defs[i].type,
		        defs[i].help) == -1 ||
		    promtext_sample(out, defs[i].name, NULL, 0,
		        v * defs[i].scale) == -1)
			return -1;
	}
	if (labelled(out, stats, "by_namespace", "sockets", "georoomd_sockets",
	        "gauge", "Sockets connected, per namespace.",
	        "namespace") == -1 ||
	    labelled(out, stats, "by_namespace", "rooms", "georoomd_rooms",
	        "gauge", "Rooms, per namespace.", "namespace") == -1 ||
	    labelled(out, stats, "refused_by", NULL,
	        "georoomd_handshakes_refused_total", "counter",
	        "Handshakes refused, by reason.", "reason") == -1 ||
	    redis_state(out, stats) == -1 || others(out, stats) == -1)
		return -1;
	return 0;
}

int
metrics_healthy(jv stats, int shutting_down, char *why, size_t len)
{
	jv s;

	if (shutting_down) {
		snprintf(why, len, "shutting down");
		return 0;
	}
	s = jv_object_get(jv_copy(stats), jv_string("redis"));
	if (jv_get_kind(s) == JV_KIND_STRING &&
	    strcmp(jv_string_value(s), "off") != 0 &&
	    strcmp(jv_string_value(s), "up") != 0) {
		snprintf(why, len, "redis link %s", jv_string_value(s));
		jv_free(s);
		return 0;
	}
	jv_free(s);
	return 1;
}

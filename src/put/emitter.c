/* emitter.c - stored locations announced through Redis (see emitter.h). */
#include "emitter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clustermsg.h"
#include "roommsg.h"

/* Most bytes of one channel name or one message. */
#define CHAN_MAX (64 * 1024)
#define MSG_MAX ((size_t)1 << 30)

void
emitter_init(struct emitter *e, const struct redisurl *url, const char *key,
    int timeout_ms)
{
	redispub_init(&e->redis, url, timeout_ms);
	e->key = key;
	e->sent = e->done = e->refused = 0;
	buf_init(&e->chan, CHAN_MAX);
	buf_init(&e->msg, MSG_MAX);
	e->why[0] = '\0';
}

void
emitter_release(struct emitter *e)
{
	redispub_release(&e->redis);
	buf_release(&e->chan);
	buf_release(&e->msg);
}

int
emitter_check(struct emitter *e)
{
	return redispub_ping(&e->redis);
}

int
emitter_encode(struct buf *chan, struct buf *msg, const char *key,
    const char *ns, const char *event, const struct roommsg_item *it,
    char *err, size_t errlen)
{
	char buf[ROOMMSG_ROOM_MAX];
	const char *room = roommsg_item_room(it, buf);
	struct iovec to;
	struct clustermsg_emit m;
	jv data;
	int rc;

	to = (struct iovec){ (void *)room, strlen(room) };
	data = roommsg_event(roommsg_item_event(it, event),
	    roommsg_payload(it));
	memset(&m, 0, sizeof(m));
	m.uid = EMITTER_UID;
	m.uid_len = strlen(EMITTER_UID);
	m.nsp = ns;
	m.nsp_len = strlen(ns);
	m.json = jv_string_value(data);
	m.json_len = (size_t)jv_string_length_bytes(jv_copy(data));
	/* One room: the emitter names it in the channel too, so that
	 * servers without it need not decode the message. */
	m.to.rooms = &to;
	m.to.nrooms = 1;
	buf_reset(chan);
	buf_reset(msg);
	rc = clustermsg_encode(msg, &m, err, errlen);
	if (rc == 0 &&
	    clustermsg_channel(chan, CLUSTERMSG_CHAN_BROADCAST, key,
	        strlen(key), ns, strlen(ns), room, to.iov_len) == -1) {
		snprintf(err, errlen, "channel name: %s", strerror(errno));
		rc = -1;
	}
	jv_free(data);
	return rc;
}

int
emitter_emit(struct emitter *e, const char *ns, const char *event,
    const struct roommsg_item *items, size_t count)
{
	struct redispub *p = &e->redis;
	long long receivers;
	char why[200];
	int r;

	if (redispub_connect(p) == -1)
		return -1;
	for (size_t i = 0; i < count; i++) {
		if (emitter_encode(&e->chan, &e->msg, e->key, ns, event,
		        &items[i], why, sizeof(why)) == -1) {
			snprintf(e->why, sizeof(e->why), "location %s: %s",
			    items[i].id->text, why);
			if (p->err == REDISPUB_OK)
				p->err = REDISPUB_LOCAL;
			break;
		}
		if (redispub_publish(p, e->chan.data, e->chan.len, e->msg.data,
		        e->msg.len) == -1)
			break;
	}
	e->sent = p->published;
	/* Every reply to what was sent, until the connection fails. */
	while (p->c != NULL && p->queued > 0 &&
	    (r = redispub_reply(p, &receivers)) != -1) {
		if (r == 1)
			e->done++;
		else
			e->refused++;
	}
	return p->err == REDISPUB_OK ? 0 : -1;
}

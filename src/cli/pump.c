/*
 * pump.c - the messages georoom-cli sends, one held at a time until the
 * sioclient's bounded queue takes it.
 */
#include "pump.h"

#include <errno.h>
#include <string.h>

#include "climsg.h"
#include "exits.h"
#include "json.h"

static void say(struct pump *p, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct pump *p, int status, const char *fmt, ...)
{
	va_list ap;

	if (p->warn == NULL)
		return;
	va_start(ap, fmt);
	p->warn(p->arg, status, fmt, ap);
	va_end(ap);
}

void
pump_init(struct pump *p)
{
	memset(p, 0, sizeof(*p));
	p->held = jv_invalid();
}

void
pump_release(struct pump *p)
{
	jv_free(p->held);
	p->held = jv_invalid();
}

void
pump_hold(struct pump *p, jv msg)
{
	jv_free(p->held);
	p->held = msg;
	p->next_tag = 1;
	p->in_done = 1;
}

int
pump_send(struct pump *p)
{
	uint64_t tag = p->next_tag;

	if (!jv_is_valid(p->held))
		return 0;
	if (sioclient_emit(p->sc, jv_string_value(p->held),
	        (size_t)jv_string_length_bytes(jv_copy(p->held)), p->ack,
	        tag) == -1) {
		if (errno == ENOBUFS)
			return -1;
		if (errno == EMSGSIZE) {
			say(p, 0,
			    "line %zu: larger than the hub accepts; "
			    "not sent",
			    p->in != NULL ? p->in->lb.lineno : 0);
			p->bad_input++;
		} else if (errno == ENOMEM) {
			say(p, EX_SOFTWARE, "out of memory");
		}
	} else if (p->ack) {
		p->acks_wanted++;
	}
	jv_free(p->held);
	p->held = jv_invalid();
	return 0;
}

static int
blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!json_is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

void
pump_lines(struct linein *in, void *arg)
{
	struct pump *p = arg;
	const char *line;
	size_t len;
	int r;
	jv text;

	while (!p->stopped) {
		if (jv_is_valid(p->held)) {
			if (pump_send(p) == -1) {
				linein_pause(in);
				return;
			}
			continue;
		}
		if ((r = linein_next(in, &line, &len)) == 0)
			break;
		if (r == -1) {
			say(p, 0, "line %zu: longer than %zu bytes; not sent",
			    in->lb.lineno, in->lb.cap - 1);
			p->bad_input++;
			continue;
		}
		if (blank(line, len))
			continue; /* blank lines are not sent */
		if (p->raw) {
			text = climsg_string(line, len);
		} else if (climsg_json_ok(line, len) == 0) {
			text = jv_string_sized(line, (int)len);
		} else {
			say(p, 0,
			    "line %zu: not JSON (strings need quotes, "
			    "or use -R); not sent",
			    in->lb.lineno);
			p->bad_input++;
			continue;
		}
		p->next_tag = in->lb.lineno;
		p->held = cmd_line_message(p->cmd, p->user,
		    jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)));
		jv_free(text);
	}
	if (in->read_error != 0 && !p->in_done)
		say(p, 0, "reading standard input: %s",
		    strerror(in->read_error));
	if (linein_done(in) && !jv_is_valid(p->held)) {
		p->in_done = 1;
		if (p->on_done != NULL)
			p->on_done(p->arg);
	}
}

void
pump_acked(struct pump *p)
{
	if (p->acks_wanted > 0)
		p->acks_wanted--;
}

int
pump_idle(const struct pump *p)
{
	return p->in_done && !jv_is_valid(p->held) && p->acks_wanted == 0;
}

void
pump_stop(struct pump *p)
{
	p->stopped = 1;
}

/*
 * output.c - the lines georoom-cli writes, filtered and printed one per
 * value; failures and notes go back to the caller.
 */
#include "output.h"

#include <errno.h>
#include <string.h>

#include "errbuf.h"
#include "eventfmt.h"
#include "jsonv.h"
#include "sio.h"

void
output_init(struct output *o, FILE *fp)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
}

int
output_filter(struct output *o, const char *program, char *err, size_t errlen)
{
	if (jqfilter_init(&o->jq, program, jv_null(), err, errlen) == -1)
		return -1;
	o->have_jq = 1;
	return 0;
}

void
output_release(struct output *o)
{
	if (o->have_jq)
		jqfilter_release(&o->jq);
	o->have_jq = 0;
}

/* Writes one line; a failure closes the output for good. */
static void
put_line(struct output *o, const char *s, size_t len)
{
	if (o->closed)
		return;
	if (fwrite(s, 1, len, o->fp) == len && putc('\n', o->fp) != EOF)
		return;
	o->closed = 1;
	o->error = errno;
}

/* Writes one value (consumed), raw when it is a string and -r. */
static void
put_value(struct output *o, jv v)
{
	if (o->raw && jv_get_kind(v) == JV_KIND_STRING) {
		put_line(o, jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)));
		jv_free(v);
		return;
	}
	v = jv_dump_string(v, 0);
	put_line(o, jv_string_value(v),
	    (size_t)jv_string_length_bytes(jv_copy(v)));
	jv_free(v);
}

/* How many lines were written, or -1 with errno once writing failed. */
static int
written(const struct output *o, int n)
{
	if (!o->closed)
		return n;
	errno = o->error;
	return -1;
}

int
output_json(struct output *o, jv line, char *err, size_t errlen)
{
	const char *s;
	size_t len;
	int n = 0;
	jv v;

	if (errlen > 0)
		err[0] = '\0';
	if (!jv_is_valid(line)) {
		jv m = jv_invalid_get_msg(line);

		errbuf_printf(err, errlen, "cannot print a packet: %s",
		    jv_get_kind(m) == JV_KIND_STRING ? jv_string_value(m) :
		                                       "malformed");
		jv_free(m);
		return 0;
	}
	s = jv_string_value(line);
	len = (size_t)jv_string_length_bytes(jv_copy(line));
	/* Printed as received unless a filter or -r needs the value. */
	if (!o->have_jq && !(o->raw && len > 0 && s[0] == '"')) {
		put_line(o, s, len);
		jv_free(line);
		return written(o, 1);
	}
	/* jsonv, not jq, so a lone surrogate from a JS client parses. */
	if (jsonv_parse(s, len, SIO_JSON_DEPTH_MAX + 1, 0, &v) == -1) {
		errbuf_printf(err, errlen, "cannot print a packet: %s",
		    jsonv_problem(errno, s, len));
		jv_free(line);
		return 0;
	}
	jv_free(line);
	if (!o->have_jq) {
		put_value(o, v);
		return written(o, 1);
	}
	jqfilter_start(&o->jq, v);
	while (!o->closed) {
		v = jqfilter_next(&o->jq);
		if (jv_is_valid(v)) {
			put_value(o, v);
			n++;
			continue;
		}
		if (jv_invalid_has_msg(jv_copy(v))) {
			jv m = jv_invalid_get_msg(v);

			errbuf_printf(err, errlen, "--jq: %s",
			    jv_string_value(m));
			jv_free(m);
		} else {
			jv_free(v);
		}
		break;
	}
	return written(o, n);
}

/*
 * The payload text of a packet: as received, or with its attachments put
 * in place (then re-encoded by libjq).
 */
static jv
payload_text(const struct sio_packet *pkt, const struct iovec *att,
    unsigned natt)
{
	if (natt == 0)
		return jv_string_sized(pkt->json, (int)pkt->json_len);
	return jv_dump_string(eventfmt_attach(jv_copy(pkt->data), att, natt),
	    0);
}

/* The event name of -e's test: a string, or a number written out. */
int
output_event_wanted(const struct output *o, jv name)
{
	int yes = 0;

	if (o->nevents == 0) {
		jv_free(name);
		return 1;
	}
	if (jv_get_kind(name) != JV_KIND_STRING)
		name = jv_dump_string(name, 0);
	/* With its length: "chat\u0000x" is not the event "chat". */
	for (size_t i = 0; i < o->nevents && !yes; i++)
		yes = strlen(o->events[i]) ==
		        (size_t)jv_string_length_bytes(jv_copy(name)) &&
		    strcmp(o->events[i], jv_string_value(name)) == 0;
	jv_free(name);
	return yes;
}

int
output_event(struct output *o, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt, const char *ns, char *err,
    size_t errlen)
{
	jv text, line;

	if (errlen > 0)
		err[0] = '\0';
	if (!output_event_wanted(o, jv_array_get(jv_copy(pkt->data), 0)))
		return 0;
	text = payload_text(pkt, att, natt);
	if (o->data_only)
		line = eventfmt_data(jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)), 1);
	else
		line = eventfmt_event(jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)), ns);
	jv_free(text);
	return output_json(o, line, err, errlen);
}

int
output_ack(struct output *o, const char *event, const struct sio_packet *pkt,
    const struct iovec *att, unsigned natt, const char *ns, char *err,
    size_t errlen)
{
	jv text, line;

	text = payload_text(pkt, att, natt);
	if (o->data_only)
		line = eventfmt_data(jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)), 0);
	else
		line = eventfmt_ack(event, jv_string_value(text),
		    (size_t)jv_string_length_bytes(jv_copy(text)), ns);
	jv_free(text);
	return output_json(o, line, err, errlen);
}

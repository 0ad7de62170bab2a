/* jsonin.c - a buffer of JSON text split into values, with line numbers. */
#include "jsonin.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "jsonv.h"
#include "strictjson.h"

/* Longest message about a value that is not JSON. */
#define WHY_MAX 320

int
jsonin_init(struct jsonin *in, const char *buf, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->buf = buf;
	in->len = len;
	in->line = 1;
	/* A byte order mark at the start, as RFC 8259 lets a reader skip. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		in->pos = 3;
	return 0;
}

void
jsonin_release(struct jsonin *in)
{
	(void)in;
}

void
jsonin_text(const struct jsonin *in, const char **text, size_t *len)
{
	*text = in->buf + in->text;
	*len = in->text_len;
}

static size_t
count_lines(const char *p, size_t n)
{
	size_t lines = 0;

	for (const char *nl; n > 0 && (nl = memchr(p, '\n', n)) != NULL;) {
		lines++;
		n -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	return lines;
}

/*
 * The value at 'start' is not JSON and scanning stopped at 'stop': words
 * the fault, moves past the line it is on, and gives the line to report.
 */
static jv
fault(struct jsonin *in, size_t start, size_t stop, size_t *line)
{
	char why[WHY_MAX];
	const char *nl = stop < in->len ?
	    memchr(in->buf + stop, '\n', in->len - stop) :
	    NULL;
	size_t eol = nl ? (size_t)(nl - in->buf) : in->len;

	/* What led up to 'stop' was well-formed: the checker's first fault
	 * in the text up to the end of that line is the one. */
	if (strictjson_check(in->buf + start, eol - start, why, sizeof(why)) ==
	        0 ||
	    why[0] == '\0')
		snprintf(why, sizeof(why), "malformed JSON");
	/* A value cut off by the end is reported where it started. */
	*line = in->line;
	if (stop < in->len)
		*line += count_lines(in->buf + start, stop - start);
	in->line = *line + 1;
	in->pos = nl ? eol + 1 : in->len;
	return jv_invalid_with_msg(jv_string(why));
}

/* True unless the number or word from 'start' to 'end' runs on. */
static int
ends_token(const struct jsonin *in, size_t start, size_t end)
{
	int c = (unsigned char)in->buf[start];

	if (c == '{' || c == '[' || c == '"' || end >= in->len)
		return 1;
	c = (unsigned char)in->buf[end];
	return json_is_space(c) || c == '{' || c == '[' || c == '"' ||
	    c == '}' || c == ']' || c == ',' || c == ':';
}

jv
jsonin_next(struct jsonin *in, size_t *line)
{
	struct json_scan s;
	size_t start;
	jv v;

	while (in->pos < in->len && json_is_space(in->buf[in->pos])) {
		if (in->buf[in->pos] == '\n')
			in->line++;
		in->pos++;
	}
	if (in->pos >= in->len)
		return jv_invalid();
	start = in->pos;
	json_scan_init(&s, in->buf + start, in->len - start);
	if (json_scan_skip_value(&s, STRICTJSON_DEPTH_MAX) == -1)
		return fault(in, start, (size_t)((const char *)s.p - in->buf),
		    line);
	/* A number or a word runs to a delimiter: "01" and "truex" are not
	 * two values. */
	if (!ends_token(in, start, (size_t)((const char *)s.p - in->buf)))
		return fault(in, start, (size_t)((const char *)s.p - in->buf),
		    line);
	in->text = start;
	in->text_len = (size_t)((const char *)s.p - (in->buf + start));
	*line = in->line;
	in->line += count_lines(in->buf + start, in->text_len);
	in->pos = start + in->text_len;
	if (jsonv_parse(in->buf + start, in->text_len, STRICTJSON_DEPTH_MAX, 0,
	        &v) == -1)
		return jv_invalid_with_msg(jv_string(
		    errno == ENOMEM ? "out of memory" : "malformed JSON"));
	return v;
}

/* jsonin.c - a buffer of JSON text split into values, with line numbers. */
#include "jsonin.h"

#include <errno.h>
#include <string.h>

int
jsonin_init(struct jsonin *in, const char *buf, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->buf = buf;
	in->len = len;
	/* libjq skips a byte order mark at the start, as RFC 8259 allows. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		in->from = 3;
	if ((in->parser = jv_parser_new(0)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void
jsonin_release(struct jsonin *in)
{
	if (in->parser != NULL)
		jv_parser_free(in->parser);
	in->parser = NULL;
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	}
	return 1;
}

/* The parser's message without its own " at line L, column C". */
static jv
clean_message(jv msg)
{
	const char *s, *at;

	if (jv_get_kind(msg) != JV_KIND_STRING) {
		jv_free(msg);
		return jv_string("malformed JSON");
	}
	s = jv_string_value(msg);
	if ((at = strstr(s, " at line ")) != NULL) {
		jv out = jv_string_sized(s, (int)(at - s));

		jv_free(msg);
		return out;
	}
	return msg;
}

void
jsonin_text(const struct jsonin *in, const char **text, size_t *len)
{
	*text = in->buf + in->text;
	*len = in->text_len;
}

jv
jsonin_next(struct jsonin *in, size_t *line)
{
	for (;;) {
		if (in->fed) {
			jv v = jv_parser_next(in->parser);
			int rest;

			if (jv_is_valid(v)) {
				*line = in->start;
				/* Does another value start on this line? */
				rest = jv_parser_remaining(in->parser);
				in->text = in->from;
				in->text_len = in->line_end - (size_t)rest -
				    in->from;
				in->from = in->line_end - (size_t)rest;
				in->in_value = rest > 0 &&
				    !blank(in->buf + in->line_end - rest,
				        (size_t)rest);
				in->start = in->line;
				return v;
			}
			if (jv_invalid_has_msg(jv_copy(v))) {
				jv msg = clean_message(jv_invalid_get_msg(v));

				*line = in->at_eof ? in->start : in->line;
				jv_parser_free(in->parser);
				in->parser = jv_parser_new(0);
				in->in_value = 0;
				in->fed = 0;
				in->from = in->pos; /* the next line */
				if (in->parser == NULL) {
					jv_free(msg);
					return jv_invalid_with_msg(
					    jv_string("out of memory"));
				}
				return jv_invalid_with_msg(msg);
			}
			jv_free(v);
			in->fed = 0;
		}
		if (in->pos >= in->len) {
			if (in->at_eof)
				return jv_invalid();
			in->at_eof = 1;
			in->fed = 1;
			jv_parser_set_buf(in->parser, "", 0, 0);
			continue;
		}
		{
			const char *nl = memchr(in->buf + in->pos, '\n',
			    in->len - in->pos);
			size_t end = nl ? (size_t)(nl - in->buf) + 1 : in->len;

			in->line++;
			in->line_end = end;
			if (!in->in_value &&
			    !blank(in->buf + in->pos, end - in->pos)) {
				in->in_value = 1;
				in->start = in->line;
			}
			jv_parser_set_buf(in->parser, in->buf + in->pos,
			    (int)(end - in->pos), 1);
			in->pos = end;
			in->fed = 1;
		}
	}
}

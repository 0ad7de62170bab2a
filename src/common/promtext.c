/* promtext.c - Prometheus' text exposition format, version 0.0.4. */
#include "promtext.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int
alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

int
promtext_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || !(alpha(name[0]) || name[0] == ':'))
		return 0;
	for (p = name + 1; *p; p++)
		if (!alpha(*p) && !digit(*p) && *p != ':')
			return 0;
	return 1;
}

int
promtext_label_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || !alpha(name[0]) || strncmp(name, "__", 2) == 0)
		return 0;
	for (p = name + 1; *p; p++)
		if (!alpha(*p) && !digit(*p))
			return 0;
	return 1;
}

/*
 * Appends 's' with the escapes 'quote' asks for: backslash and newline
 * always (HELP text), the double quote too in a label value.
 */
static int
escape(struct buf *b, const char *s, size_t len, int quote)
{
	size_t i, from = 0;
	const char *rep;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\')
			rep = "\\\\";
		else if (s[i] == '\n')
			rep = "\\n";
		else if (s[i] == '"' && quote)
			rep = "\\\"";
		else
			continue;
		if (buf_append(b, s + from, i - from) == -1 ||
		    buf_appends(b, rep) == -1)
			return -1;
		from = i + 1;
	}
	return buf_append(b, s + from, len - from);
}

int
promtext_escape_label(struct buf *b, const char *s, size_t len)
{
	return escape(b, s, len, 1);
}

int
promtext_family(struct buf *b, const char *name, const char *type,
    const char *help)
{
	if (!promtext_name_ok(name) ||
	    (strcmp(type, "counter") != 0 && strcmp(type, "gauge") != 0 &&
	        strcmp(type, "untyped") != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (buf_appends(b, "# HELP ") == -1 || buf_appends(b, name) == -1 ||
	    buf_appends(b, " ") == -1 ||
	    escape(b, help, strlen(help), 0) == -1 ||
	    buf_appends(b, "\n# TYPE ") == -1 || buf_appends(b, name) == -1 ||
	    buf_appends(b, " ") == -1 || buf_appends(b, type) == -1 ||
	    buf_appends(b, "\n") == -1)
		return -1;
	return 0;
}

/* Integers below 2^53 are exact in a double: written without exponent. */
#define EXACT_MAX 9007199254740992.0

static int
number(struct buf *b, double v)
{
	char text[40];

	if (isnan(v))
		return buf_appends(b, "NaN");
	if (isinf(v))
		return buf_appends(b, v > 0 ? "+Inf" : "-Inf");
	if (v >= -EXACT_MAX && v <= EXACT_MAX && v == (double)(long long)v)
		snprintf(text, sizeof(text), "%lld", (long long)v);
	else
		snprintf(text, sizeof(text), "%.17g", v);
	return buf_appends(b, text);
}

int
promtext_sample(struct buf *b, const char *name,
    const struct promtext_label *labels, size_t nlabels, double value)
{
	size_t i;

	if (!promtext_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nlabels; i++)
		if (!promtext_label_name_ok(labels[i].name)) {
			errno = EINVAL;
			return -1;
		}
	if (buf_appends(b, name) == -1)
		return -1;
	for (i = 0; i < nlabels; i++)
		if (buf_appends(b, i == 0 ? "{" : ",") == -1 ||
		    buf_appends(b, labels[i].name) == -1 ||
		    buf_appends(b, "=\"") == -1 ||
		    escape(b, labels[i].value, labels[i].len, 1) == -1 ||
		    buf_appends(b, "\"") == -1)
			return -1;
	if ((nlabels > 0 && buf_appends(b, "}") == -1) ||
	    buf_appends(b, " ") == -1 || number(b, value) == -1 ||
	    buf_appends(b, "\n") == -1)
		return -1;
	return 0;
}

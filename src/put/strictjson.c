/* strictjson.c - input JSON text held to RFC 8259, numbers to doubles. */
#include "strictjson.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "json.h"

/* Longest field path kept, and most bytes of a token or name shown. */
#define PATHLEN 160
#define SHOWN 24

/* A number this short without an exponent is below 1e300: finite. */
#define SHORT_NUMBER 300

struct walk {
	struct json_scan s;
	char path[PATHLEN]; /* of the value at the cursor */
	size_t at;          /* strlen(path) */
	char *err;
	size_t errlen;
};

static int fault(struct walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes "PATH: WHY" (or "WHY" at the top) into the caller's buffer. */
static int
fault(struct walk *w, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	errbuf_printf(w->err, w->errlen, "%s%s%s", w->path,
	    w->at > 0 ? ": " : "", why);
	errno = EINVAL;
	return -1;
}

/*
 * Adds 'n' bytes at 's' to the path, as much as fits.  The path is built
 * for every member of every value, so no printf: it would be most of the
 * time spent checking a large input.
 */
static void
path_add(struct walk *w, const char *s, size_t n)
{
	size_t room = sizeof(w->path) - 1 - w->at;

	if (n > room)
		n = room;
	memcpy(w->path + w->at, s, n);
	w->at += n;
	w->path[w->at] = '\0';
}

/* Adds "[i]" to the path. */
static void
path_index(struct walk *w, size_t i)
{
	char num[24], *p = num + sizeof(num);

	*--p = ']';
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	*--p = '[';
	path_add(w, p, (size_t)(num + sizeof(num) - p));
}

static void
path_cut(struct walk *w, size_t at)
{
	w->at = at;
	w->path[at] = '\0';
}

/* The member 'name' (well-formed UTF-8, as written) added to the path. */
static void
path_member(struct walk *w, const char *name, size_t len)
{
	size_t n = len;

	if (n > SHOWN * 2) {
		/* Cut at a character boundary. */
		n = SHOWN * 2;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	if (w->at > 0)
		path_add(w, ".", 1);
	path_add(w, name, n);
	if (n < len)
		path_add(w, "...", 3);
}

static int
is_delimiter(int c)
{
	return c == -1 || json_is_space(c) || c == ',' || c == ']' ||
	    c == '}' || c == ':';
}

/* Refuses the token at the cursor, shown up to the next delimiter. */
static int
not_json(struct walk *w)
{
	char tok[SHOWN + 4];
	size_t n = 0;
	const unsigned char *p = w->s.p;

	if (p == w->s.end)
		return fault(w, "the text ends inside the value");
	do {
		tok[n++] = *p >= 0x21 && *p <= 0x7e ? (char)*p : '?';
		p++;
	} while (n < SHOWN && p < w->s.end && !is_delimiter(*p));
	if (n == SHOWN && p < w->s.end && !is_delimiter(*p)) {
		memcpy(tok + n, "...", 3);
		n += 3;
	}
	tok[n] = '\0';
	return fault(w, "%s is not JSON", tok);
}

/* Says what is wrong in the string at 'p', which json.h refused. */
static const char *
string_fault(const unsigned char *p, const unsigned char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		size_t n;

		if (*p < 0x20)
			return "a control character";
		if (*p == '\\') {
			if (++p == end || strchr("\"\\/bfnrtu", *p) == NULL)
				return "a bad escape";
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++) {
					if (p + i >= end ||
					    strchr("0123456789abcdefABCDEF",
					        p[i]) == NULL)
						return "a bad escape";
				}
			}
			continue;
		}
		if (*p < 0x80)
			continue;
		n = *p >= 0xc2 && *p <= 0xdf ? 2 :
		    *p >= 0xe0 && *p <= 0xef ? 3 :
		    *p >= 0xf0 && *p <= 0xf4 ? 4 :
		                               0;
		if (n == 0 || (size_t)(end - p) < n ||
		    json_utf8_check((const char *)p, n) == -1)
			return "invalid UTF-8";
		p += n - 1;
	}
	return "no closing quote";
}

/* The string at the cursor; 'what' is "a string" or "a member name". */
static int
string(struct walk *w, const char *what, const char **str, size_t *len)
{
	const unsigned char *start = w->s.p;

	if (json_scan_read_string(&w->s, str, len) == 0)
		return 0;
	w->s.p = start;
	return fault(w, "%s in %s", string_fault(start, w->s.end), what);
}

static int
word(struct walk *w, const char *name)
{
	size_t n = strlen(name);

	if ((size_t)(w->s.end - w->s.p) < n || memcmp(w->s.p, name, n) != 0 ||
	    !is_delimiter(w->s.p + n < w->s.end ? w->s.p[n] : -1))
		return not_json(w);
	w->s.p += n;
	return 0;
}

/* The number at the cursor: JSON's syntax, and finite as a double. */
static int
number(struct walk *w)
{
	const unsigned char *start = w->s.p;
	char small[64], *copy;
	size_t n;
	double d;

	if (json_scan_skip_number(&w->s) == -1 ||
	    !is_delimiter(json_scan_peek(&w->s))) {
		w->s.p = start;
		return not_json(w);
	}
	n = (size_t)(w->s.p - start);
	if (n < SHORT_NUMBER && memchr(start, 'e', n) == NULL &&
	    memchr(start, 'E', n) == NULL)
		return 0;
	copy = n < sizeof(small) ? small : malloc(n + 1);
	if (copy == NULL) {
		errbuf_printf(w->err, w->errlen, "out of memory");
		errno = ENOMEM;
		return -1;
	}
	memcpy(copy, start, n);
	copy[n] = '\0';
	d = strtod(copy, NULL);
	if (copy != small)
		free(copy);
	if (isfinite(d))
		return 0;
	return fault(w, "number %.*s%s is out of range of a double",
	    (int)(n > SHOWN ? SHOWN : n), (const char *)start,
	    n > SHOWN ? "..." : "");
}

static int value(struct walk *w, int depth);

/* The array or object at the cursor, 'depth' levels down. */
static int
container(struct walk *w, int depth)
{
	int close = *w->s.p == '[' ? ']' : '}';
	size_t at = w->at;

	if (depth >= STRICTJSON_DEPTH_MAX)
		return fault(w, "nested deeper than %d arrays and objects",
		    STRICTJSON_DEPTH_MAX);
	w->s.p++;
	json_scan_skip_space(&w->s);
	if (json_scan_take(&w->s, close))
		return 0;
	for (size_t i = 0;; i++) {
		json_scan_skip_space(&w->s);
		if (close == '}') {
			const char *name;
			size_t len;

			if (json_scan_peek(&w->s) != '"')
				return not_json(w);
			if (string(w, "a member name", &name, &len) == -1)
				return -1;
			json_scan_skip_space(&w->s);
			if (!json_scan_take(&w->s, ':'))
				return not_json(w);
			json_scan_skip_space(&w->s);
			path_member(w, name, len);
		} else {
			path_index(w, i);
		}
		if (value(w, depth + 1) == -1)
			return -1;
		path_cut(w, at);
		json_scan_skip_space(&w->s);
		if (json_scan_take(&w->s, close))
			return 0;
		if (!json_scan_take(&w->s, ','))
			return not_json(w);
	}
}

static int
value(struct walk *w, int depth)
{
	int c = json_scan_peek(&w->s);

	switch (c) {
	case '"':
		return string(w, "a string", NULL, NULL);
	case '[':
	case '{':
		return container(w, depth);
	case 't':
		return word(w, "true");
	case 'f':
		return word(w, "false");
	case 'n':
		return word(w, "null");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return number(w);
		return not_json(w);
	}
}

int
strictjson_check(const char *text, size_t len, char *err, size_t errlen)
{
	struct walk w;

	json_scan_init(&w.s, text, len);
	w.path[0] = '\0';
	w.at = 0;
	w.err = err;
	w.errlen = errlen;
	json_scan_skip_space(&w.s);
	if (value(&w, 0) == -1)
		return -1;
	json_scan_skip_space(&w.s);
	if (w.s.p != w.s.end)
		return not_json(&w);
	return 0;
}

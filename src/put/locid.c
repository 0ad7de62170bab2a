/* locid.c - a location's id (see locid.h). */
#include "locid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "jsnum.h"

static const char id_bytes[] = "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-";

static const char rule[] = "must be an integer from 1 to 9007199254740991 "
                           "or a string of 1 to 64 letters, digits and "
                           "\"._:-\"";

/* How many of the 'n' bytes at 's' are in 'set', from the first on. */
static size_t
span(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && s[i] != '\0' && strchr(set, s[i]) != NULL)
		i++;
	return i;
}

/* Sets 'id' to the integer 'num', 1 .. LOCID_INT_MAX. */
static void
set_int(struct locid *id, uint64_t num)
{
	char digits[24], *p = digits + sizeof(digits);

	id->num = num;
	do
		*--p = (char)('0' + num % 10);
	while ((num /= 10) != 0);
	id->len = (size_t)(digits + sizeof(digits) - p);
	memcpy(id->text, p, id->len);
	id->text[id->len] = '\0';
}

int
locid_from_text(const char *s, size_t n, struct locid *id, char *err,
    size_t errlen)
{
	uint64_t num = 0;

	memset(id, 0, sizeof(*id));
	if (n == 0 || n > LOCID_MAX || span(s, n, id_bytes) < n) {
		errbuf_printf(err, errlen, "%s, got \"%.*s%s\"", rule,
		    n > 24 ? 24 : (int)n, s, n > 24 ? "..." : "");
		return -1;
	}
	/* Digits without a leading zero, in range: the integer itself. */
	if (n <= 16 && s[0] != '0' && span(s, n, "0123456789") == n) {
		for (size_t i = 0; i < n; i++)
			num = num * 10 + (uint64_t)(s[i] - '0');
		if (num <= LOCID_INT_MAX) {
			set_int(id, num);
			return 0;
		}
	}
	memcpy(id->text, s, n);
	id->text[n] = '\0';
	id->len = n;
	return 0;
}

int
locid_from_json(jv v, struct locid *id, char *err, size_t errlen)
{
	char shown[48];
	int r = -1;

	memset(id, 0, sizeof(*id));
	switch (jv_get_kind(v)) {
	case JV_KIND_NUMBER: {
		double d = jv_number_value(v);

		if (d >= 1 && d <= (double)LOCID_INT_MAX && d == floor(d)) {
			set_int(id, (uint64_t)d);
			r = 0;
			break;
		}
		jsnum_format(d, shown, sizeof(shown));
		errbuf_printf(err, errlen, "%s, got %s", rule, shown);
		break;
	}
	case JV_KIND_STRING:
		r = locid_from_text(jv_string_value(v),
		    (size_t)jv_string_length_bytes(jv_copy(v)), id, err,
		    errlen);
		break;
	default:
		errbuf_printf(err, errlen, "%s, got %s", rule,
		    jv_kind_name(jv_get_kind(v)));
		break;
	}
	jv_free(v);
	return r;
}

int
locid_is_int(const struct locid *id)
{
	return id->num != 0;
}

int
locid_cmp(const struct locid *a, const struct locid *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->text, b->text, n);

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

size_t
locid_json(const struct locid *id, char out[LOCID_JSON_MAX])
{
	if (locid_is_int(id)) {
		memcpy(out, id->text, id->len + 1);
		return id->len;
	}
	out[0] = '"';
	memcpy(out + 1, id->text, id->len);
	out[id->len + 1] = '"';
	out[id->len + 2] = '\0';
	return id->len + 2;
}

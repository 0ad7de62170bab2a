/* stamp.c - times as microseconds since the epoch (see stamp.h). */
#include "stamp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "jsnum.h"

#define US_PER_DAY 86400000000LL

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
stamp_split(int64_t us, struct stamp_parts *p)
{
	int64_t z = us / US_PER_DAY, rest = us % US_PER_DAY;
	int64_t era, doe, yoe, doy, mp;

	if (rest < 0) {
		rest += US_PER_DAY;
		z--;
	}
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	p->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	p->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	p->year = (int)(yoe + era * 400 + (p->month <= 2));
	p->micro = (long)(rest % 1000000);
	rest /= 1000000;
	p->second = (int)(rest % 60);
	p->minute = (int)(rest / 60 % 60);
	p->hour = (int)(rest / 3600);
}

/* Writes 'v' in 'n' decimal digits at 'p', zeros first. */
static void
digits_out(char *p, long v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * Every stored row is printed with its time: written by hand, as printf
 * would take longer than the rest of the row.
 */
void
stamp_format(int64_t us, char out[STAMP_TEXT_MAX])
{
	struct stamp_parts p;

	stamp_split(us, &p);
	memcpy(out, "0000-00-00T00:00:00.000000Z", STAMP_TEXT_MAX);
	digits_out(out, p.year, 4);
	digits_out(out + 5, p.month, 2);
	digits_out(out + 8, p.day, 2);
	digits_out(out + 11, p.hour, 2);
	digits_out(out + 14, p.minute, 2);
	digits_out(out + 17, p.second, 2);
	digits_out(out + 20, p.micro, 6);
}

/* Refuses a time out of the column's range, showing it. */
static int
in_range(int64_t us, char *err, size_t errlen)
{
	char shown[STAMP_TEXT_MAX];

	if (us >= STAMP_MIN && us <= STAMP_MAX)
		return 0;
	if (us > -(int64_t)1e17 && us < (int64_t)1e17) {
		stamp_format(us, shown);
		errbuf_printf(err, errlen,
		    "%s is outside 1970-01-01T00:00:01Z .. "
		    "2038-01-19T03:14:07.999999Z, the range of a TIMESTAMP",
		    shown);
	} else {
		errbuf_printf(err, errlen,
		    "outside 1970-01-01T00:00:01Z .. "
		    "2038-01-19T03:14:07.999999Z, the range of a TIMESTAMP");
	}
	return -1;
}

/* Reads 'n' digits at *s as a number, moving *s on; -1 if not digits. */
static int
digits(const char **s, const char *end, int n)
{
	int v = 0;

	if (end - *s < n)
		return -1;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*s += n;
	return v;
}

/* Expects byte 'c' at *s. */
static int
expect(const char **s, const char *end, const char *any)
{
	if (*s == end || **s == '\0' || strchr(any, **s) == NULL)
		return -1;
	(*s)++;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

/*
 * Reads "YYYY-MM-DD" SEP "HH:MM:SS[.frac]" into 'p' and the microseconds
 * since midnight; 'seps' are the date-time separators allowed.  Returns
 * 0, or -1 at a byte that does not fit.
 */
static int
date_time(const char **s, const char *end, const char *seps,
    struct stamp_parts *p)
{
	if ((p->year = digits(s, end, 4)) < 0 || expect(s, end, "-") ||
	    (p->month = digits(s, end, 2)) < 0 || expect(s, end, "-") ||
	    (p->day = digits(s, end, 2)) < 0 || expect(s, end, seps) ||
	    (p->hour = digits(s, end, 2)) < 0 || expect(s, end, ":") ||
	    (p->minute = digits(s, end, 2)) < 0 || expect(s, end, ":") ||
	    (p->second = digits(s, end, 2)) < 0)
		return -1;
	p->micro = 0;
	if (*s < end && **s == '.') {
		long scale = 100000;
		int n = 0;

		for ((*s)++; *s < end && **s >= '0' && **s <= '9'; (*s)++) {
			p->micro += (**s - '0') * scale;
			scale /= 10;
			n++;
		}
		if (n == 0)
			return -1;
	}
	return 0;
}

/* The fields of 'p' checked and turned into microseconds. */
static int
join(const struct stamp_parts *p, int64_t *us)
{
	int second = p->second;
	long micro = p->micro;

	if (p->month < 1 || p->month > 12 || p->day < 1 ||
	    p->day > days_in_month(p->year, p->month) || p->hour > 23 ||
	    p->minute > 59 || p->second > 60)
		return -1;
	/* A leap second is held as the last microsecond before it. */
	if (second == 60) {
		second = 59;
		micro = 999999;
	}
	*us = days_from_civil(p->year, p->month, p->day) * US_PER_DAY +
	    ((int64_t)p->hour * 3600 + p->minute * 60 + second) * 1000000 +
	    micro;
	return 0;
}

int
stamp_parse_rfc3339(const char *s, size_t n, int64_t *us, char *err,
    size_t errlen)
{
	const char *p = s, *end = s + n;
	struct stamp_parts f;
	int64_t t, offset = 0;

	if (date_time(&p, end, "Tt ", &f) == -1 || p == end)
		goto bad;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, hh, mm;

		if ((hh = digits(&p, end, 2)) < 0 || expect(&p, end, ":") ||
		    (mm = digits(&p, end, 2)) < 0 || hh > 23 || mm > 59)
			goto bad;
		offset = sign * ((int64_t)hh * 3600 + mm * 60) * 1000000;
	} else {
		goto bad;
	}
	if (p != end || join(&f, &t) == -1)
		goto bad;
	*us = t - offset;
	return in_range(*us, err, errlen);
bad:
	errbuf_printf(err, errlen,
	    "\"%.*s%s\" is not an RFC 3339 time such as "
	    "2026-11-25T10:00:00Z or 2026-11-25T11:00:00.5+01:00",
	    n > 40 ? 40 : (int)n, s, n > 40 ? "..." : "");
	return -1;
}

int
stamp_parse_sql(const char *s, size_t n, int64_t *us)
{
	const char *p = s, *end = s + n;
	struct stamp_parts f;

	if (date_time(&p, end, " T", &f) == -1 || p != end ||
	    join(&f, us) == -1)
		return -1;
	return 0;
}

/* Epoch seconds or milliseconds 'd' to microseconds. */
static int
from_epoch(double d, int64_t *us, char *err, size_t errlen)
{
	char shown[48];

	if (!isfinite(d) || d < 0 || d >= 1e16) {
		jsnum_format(d, shown, sizeof(shown));
		errbuf_printf(err, errlen,
		    "%s is not a time in seconds or milliseconds since "
		    "1970-01-01T00:00:00Z",
		    shown);
		return -1;
	}
	*us = d < STAMP_MS_FROM ? llround(d * 1e6) : llround(d * 1e3);
	return in_range(*us, err, errlen);
}

int
stamp_from_json(jv v, int64_t *us, char *err, size_t errlen)
{
	int r = -1;

	switch (jv_get_kind(v)) {
	case JV_KIND_NUMBER:
		r = from_epoch(jv_number_value(v), us, err, errlen);
		break;
	case JV_KIND_STRING: {
		const char *s = jv_string_value(v);
		size_t n = (size_t)jv_string_length_bytes(jv_copy(v));
		size_t int_digits = strspn(s, "0123456789");

		/* A number in a string: digits, and maybe a fraction. */
		if (int_digits > 0 && int_digits <= 16 &&
		    (int_digits == n ||
		        (s[int_digits] == '.' &&
		            strspn(s + int_digits + 1, "0123456789") ==
		                n - int_digits - 1 &&
		            n > int_digits + 1)))
			r = from_epoch(strtod(s, NULL), us, err, errlen);
		else
			r = stamp_parse_rfc3339(s, n, us, err, errlen);
		break;
	}
	default:
		errbuf_printf(err, errlen,
		    "expected an RFC 3339 string or a number of seconds or "
		    "milliseconds, got %s",
		    jv_kind_name(jv_get_kind(v)));
		break;
	}
	jv_free(v);
	return r;
}

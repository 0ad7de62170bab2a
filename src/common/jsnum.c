/* jsnum.c - numbers written as JavaScript writes them. */
#include "jsnum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
jsnum_format(double d, char *buf, size_t len)
{
	char e[40], digits[24], out[48], *p, *exp;
	int prec, k, n;
	size_t w;
	const char *sign = "";

	/* What String() writes for the values that have no digits. */
	if (isnan(d))
		return snprintf(buf, len, "NaN");
	if (isinf(d))
		return snprintf(buf, len, "%s",
		    d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return snprintf(buf, len, "0"); /* -0 too */
	if (d < 0) {
		sign = "-";
		d = -d;
	}
	/* The fewest significant digits that read back as 'd'. */
	for (prec = 0; prec < 16; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec, d);
		if (strtod(e, NULL) == d)
			break;
	}
	if (prec == 16)
		snprintf(e, sizeof(e), "%.16e", d);
	exp = strchr(e, 'e');
	for (k = 0, p = e; p < exp; p++)
		if (*p != '.')
			digits[k++] = *p;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	n = (int)strtol(exp + 1, NULL, 10) + 1; /* the point after n digits */

	w = (size_t)snprintf(out, sizeof(out), "%s", sign);
	if (k <= n && n <= 21) {
		/* 1500, 12345678901234567000 */
		w += (size_t)snprintf(out + w, sizeof(out) - w, "%s", digits);
		while ((int)w - (int)strlen(sign) < n)
			out[w++] = '0';
		out[w] = '\0';
	} else if (0 < n && n <= 21) {
		/* 1.5 */
		snprintf(out + w, sizeof(out) - w, "%.*s.%s", n, digits,
		    digits + n);
	} else if (-6 < n && n <= 0) {
		/* 0.00001 */
		w += (size_t)snprintf(out + w, sizeof(out) - w, "0.");
		while (n++ < 0)
			out[w++] = '0';
		snprintf(out + w, sizeof(out) - w, "%s", digits);
	} else {
		/* 1e-7, 1.5e+21 */
		snprintf(out + w, sizeof(out) - w, "%c%s%se%c%d", digits[0],
		    k > 1 ? "." : "", digits + 1, n - 1 < 0 ? '-' : '+',
		    abs(n - 1));
	}
	return snprintf(buf, len, "%s", out);
}

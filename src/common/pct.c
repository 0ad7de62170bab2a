/* pct.c - percent-escapes in the parts of a URL. */
#include "pct.h"

#include <errno.h>
#include <stdlib.h>

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
pct_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *w = out;
	int hi, lo;

	if (out == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			*w++ = s[i];
			continue;
		}
		if (i + 2 >= len)
			goto bad;
		hi = hexval((unsigned char)s[i + 1]);
		lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		*w++ = (char)(hi * 16 + lo);
		i += 2;
	}
	*w = '\0';
	return out;
bad:
	free(out);
	errno = EINVAL;
	return NULL;
}

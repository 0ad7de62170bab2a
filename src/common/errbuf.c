/* errbuf.c - reasons written into a caller's buffer. */
#include "errbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

void
errbuf_printf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
errbuf_fail(int e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = e;
	return -1;
}

void
errbuf_member_path(char *buf, size_t len, const char *prefix, const char *name)
{
	if (prefix[0] != '\0')
		errbuf_printf(buf, len, "%s.%s", prefix, name);
	else
		errbuf_printf(buf, len, "%s", name);
}

void
errbuf_index_path(char *buf, size_t len, const char *prefix, int i)
{
	errbuf_printf(buf, len, "%s[%d]", prefix, i);
}

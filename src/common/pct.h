/*
 * pct.h - percent-escapes in the parts of a URL.
 * Owns: turning "%XX" back into the byte it stands for, for the URL
 * parsers of every layer (database and Redis URLs).  Pure: no I/O.
 */
#ifndef GEOROOM_PCT_H
#define GEOROOM_PCT_H

#include <stddef.h>

/*
 * Decodes %XX escapes of 'len' bytes at 's' into a new string.  Returns
 * it (owned), or NULL with errno EINVAL (a bad escape, or %00) or ENOMEM.
 */
char *pct_decode(const char *s, size_t len);

#endif

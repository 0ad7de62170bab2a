/*
 * fuzz_dburl.c - libFuzzer target for database URLs.  A URL taken gives
 * a port in range, a URL refused a reason, and neither leaks.  (That a
 * reason never repeats the password is test_dburl's to show: which bytes
 * are the password is the parser's own judgement.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dburl.h"
#include "pct.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dburl u;
	char err[256] = "", *url, *dec;

	if ((url = malloc(size + 1)) == NULL)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	dburl_init(&u);
	if (dburl_parse(&u, url, err, sizeof(err)) == 0) {
		if (u.port > 65535)
			abort();
	} else if (err[0] == '\0') {
		abort();
	}
	dburl_release(&u);
	/* Text without escapes decodes to itself. */
	if ((dec = pct_decode(url, strlen(url))) != NULL) {
		if (memchr(url, '%', strlen(url)) == NULL && strcmp(dec, url))
			abort();
		free(dec);
	}
	free(url);
	return 0;
}

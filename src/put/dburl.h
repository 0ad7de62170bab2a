/*
 * dburl.h - database URLs: mysql://user:password@host:port/database.
 * Owns: splitting a URL into connection parameters, percent-decoding each
 * (with pct_decode()).
 * Pure: no I/O, never prints.
 *
 *   mysql://[USER[:PASSWORD]@][HOST][:PORT][/DATABASE][?socket=PATH]
 *
 * "mariadb://" is accepted too.  HOST may be an IPv6 address in brackets.
 * A part left out stays NULL (port 0), so that the option files
 * ([client] and [geoput] in my.cnf) or the library's defaults fill it in.
 */
#ifndef GEOROOM_DBURL_H
#define GEOROOM_DBURL_H

#include <stddef.h>

struct dburl {
	char *user; /* owned, each NULL when not given */
	char *password;
	char *host;
	char *database;
	char *socket;
	unsigned port; /* 0 when not given */
};

void dburl_init(struct dburl *u);

/*
 * Parses 'url' (borrowed) into 'u', which must be initialised and is
 * released first.  Returns 0, or -1 with the reason in 'err' (which never
 * repeats the password).
 */
int dburl_parse(struct dburl *u, const char *url, char *err, size_t errlen);

void dburl_release(struct dburl *u);

#endif

/*
 * exits.h - the exit statuses every georoom program uses.
 * One table, copied into each man page's EXIT STATUS section; a test checks
 * that the pages agree.  Never pass a library's own error code through.
 */
#ifndef GEOROOM_EXITS_H
#define GEOROOM_EXITS_H

#include <sysexits.h>

/*
 * 0		success
 * EX_USAGE	(64) bad command line
 * EX_DATAERR	(65) bad input JSON
 * EX_NOINPUT	(66) input file missing
 * EX_UNAVAILABLE (69) MySQL or the hub unreachable
 * EX_SOFTWARE	(70) internal error
 * EX_IOERR	(74) outcome unknown (geoput: a COMMIT got no answer)
 * EX_TEMPFAIL	(75) a retry may work
 * EX_PROTOCOL	(76) the peer broke Socket.IO
 * EX_NOPERM	(77) not allowed
 * EX_CONFIG	(78) bad configuration
 */

#endif

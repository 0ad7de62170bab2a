/*
 * jsnum.h - numbers written as JavaScript's String(n) writes them.
 * Owns: ECMAScript's Number::toString (shortest digits that read back as
 * the same double).  Pure: no I/O, no allocation.
 */
#ifndef GEOROOM_JSNUM_H
#define GEOROOM_JSNUM_H

#include <stddef.h>

/*
 * Writes 'd' into 'buf' as String(d) would: plain notation for decimal
 * exponents from -7 to 20, exponent notation otherwise ("1e-7", "1e+21");
 * "Infinity", "-Infinity" and "NaN" for the values that are not finite,
 * which no JSON text can hold: a caller writing JSON refuses them first.
 * Returns the length as snprintf does (truncated when it is len or more);
 * 32 bytes always suffice.
 */
int jsnum_format(double d, char *buf, size_t len);

#endif

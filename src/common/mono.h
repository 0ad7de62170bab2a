/*
 * mono.h - the monotonic clock every deadline and timeout is measured on.
 * Owns: reading CLOCK_MONOTONIC in milliseconds.  Keeps no state, sets no
 * timers; callers add and compare the numbers.
 */
#ifndef GEOROOM_MONO_H
#define GEOROOM_MONO_H

#include <stdint.h>

/* Milliseconds since an unspecified point; never goes back. */
int64_t mono_ms(void);

#endif

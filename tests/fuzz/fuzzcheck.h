/*
 * fuzzcheck.h - what the cluster message targets (fuzz_clustermsg,
 * fuzz_shardmsg) check alike: a failed check aborts, naming its file and
 * line, and the packet a message carries must be one Socket.IO takes.
 */
#ifndef GEOROOM_FUZZCHECK_H
#define GEOROOM_FUZZCHECK_H

#include "clustermsg.h"

/* Aborts, saying which check failed. */
#define check(cond) ((cond) ? (void)0 : fuzz_failed(__FILE__, __LINE__, #cond))

void fuzz_failed(const char *file, int line, const char *what)
    __attribute__((noreturn));

/* The packet of 'ev', encoded as a client gets it, decodes to the same
 * type and attachment count, and its JSON is well formed. */
void fuzz_check_frame(const struct clustermsg_event *ev);

#endif

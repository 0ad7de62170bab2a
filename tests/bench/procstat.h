/*
 * procstat.h - what /proc and getrusage tell about a process's cost.
 * Owns: reading a process's resident memory (VmRSS in /proc/PID/status)
 * and CPU time (utime + stime in /proc/PID/stat, every thread included),
 * and the caller's own CPU time.  Never prints.
 */
#ifndef BENCH_PROCSTAT_H
#define BENCH_PROCSTAT_H

#include <sys/types.h>

/* Resident memory of process 'pid' in KiB, or -1 with errno. */
long procstat_rss_kib(pid_t pid);

/* CPU seconds, user and system, process 'pid' has used, or -1. */
double procstat_cpu_s(pid_t pid);

/* CPU seconds the calling process has used. */
double procstat_self_cpu_s(void);

#endif

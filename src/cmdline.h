/*
 * cmdline.h - option tables shared by the three programs.
 * Owns: turning one option table into getopt_long's arguments and into the
 * --help text, and range-checked number parsing.  Never prints unless asked
 * to write help to a stream the caller gives; never exits.
 */
#ifndef GEOROOM_CMDLINE_H
#define GEOROOM_CMDLINE_H

#include <getopt.h>
#include <stdio.h>

/* First value for options that have no short letter. */
#define CMDLINE_LONG_ONLY 256

struct cmdline_opt {
	const char *long_name;
	int val;		/* short letter, or >= CMDLINE_LONG_ONLY */
	const char *arg;	/* argument name shown in help; NULL if none */
	const char *help;	/* one line */
	const char *env;	/* environment variable; NULL if none */
};

/* Upper bound on options in one table, sentinel included. */
#define CMDLINE_MAX 64

struct cmdline {
	struct option longopts[CMDLINE_MAX];
	char shortopts[CMDLINE_MAX * 2 + 2];
};

/*
 * Fills 'cl' from 'opts' (borrowed; ends with a zeroed entry).  Returns 0, or
 * -1 with errno EINVAL when the table is too long or repeats a value.
 */
int cmdline_init(struct cmdline *cl, const struct cmdline_opt *opts);

/*
 * Writes the help text: 'usage' lines (borrowed) followed by one line per
 * option in table order.
 */
void cmdline_help(FILE *out, const char *usage, const struct cmdline_opt *opts);

/*
 * Calls 'apply' with each option's value and its environment variable's
 * value, in table order, for the variables that are set and non-empty, so
 * that the command line (parsed afterwards) overrides the environment.
 * Returns 0, or the first non-zero result of 'apply', with *bad set to the
 * variable's name.
 */
int cmdline_apply_env(const struct cmdline_opt *opts,
    int (*apply)(int val, const char *arg, void *ctx), void *ctx,
    const char **bad);

/*
 * Parses a whole decimal integer in [min, max] into *out.  Returns 0, or -1
 * with errno EINVAL (not a number) or ERANGE (outside the range).
 */
int cmdline_number(const char *s, long long min, long long max,
    long long *out);

/*
 * Parses a finite decimal number (fractions allowed) in [min, max].  Same
 * return convention as cmdline_number().
 */
int cmdline_double(const char *s, double min, double max, double *out);

#endif

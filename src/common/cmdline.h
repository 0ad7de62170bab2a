/*
 * cmdline.h - option tables shared by the three programs.
 * Owns: turning one option table into getopt_long's arguments and into the
 * --help text, the one loop that reads the environment and the command line
 * through a program's apply(), and range-checked option values with their
 * error messages.  Prints only to the streams the caller gives; never exits.
 */
#ifndef GEOROOM_CMDLINE_H
#define GEOROOM_CMDLINE_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* First value for options that have no short letter. */
#define CMDLINE_LONG_ONLY 256

struct cmdline_opt {
	const char *long_name;
	int val;          /* short letter, or >= CMDLINE_LONG_ONLY */
	const char *arg;  /* argument name shown in help; NULL if none */
	const char *help; /* one line */
	const char *env;  /* environment variable; NULL if none */
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
void cmdline_help(FILE *out, const char *usage,
    const struct cmdline_opt *opts);

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

/* A program's options, for cmdline_parse(); all pointers borrowed. */
/* cmdline_prog.reason_at for the string 'member' of the context's 'type'
 * (one past its offset, so that 0 can mean none). */
#define CMDLINE_REASON_AT(type, member) (offsetof(type, member) + 1)

struct cmdline_prog {
	const char *name;  /* "geoput": the --version line, the prefix of
				   errors */
	const char *usage; /* the usage lines --help starts with */
	const struct cmdline_opt *opts; /* the option table */
	/* Applies option 'val' with 'arg' (NULL when it takes none) to
	 * 'ctx'.  Returns 0, or -1 with the reason told by error(). */
	int (*apply)(int val, const char *arg, void *ctx);
	/* The same for a value from the environment; NULL: apply(). */
	int (*apply_env)(int val, const char *arg, void *ctx);
	/* Where apply() leaves why it refused, a string in the context:
	 * CMDLINE_REASON_AT(its type, the member); 0 when apply() says so
	 * itself. */
	size_t reason_at;
	int env_status; /* exit status for a bad environment value */
};

/*
 * Reads a program's options: the environment variables of the table
 * (through apply_env), then the command line (through apply, with
 * getopt_long, which leaves optind at the first word that is not an
 * option).  -h writes the help to 'out', -V "NAME VERSION", and both stop
 * with status 0; getopt_long's own complaint about an unknown option goes
 * to standard error, followed on 'err' by "NAME: try 'NAME --help'" and
 * status EX_USAGE.  A value apply() refuses is told on 'err' as "NAME:
 * REASON", and stops with EX_USAGE, or p->env_status after "NAME: bad value
 * in $VAR" for a value from the environment.  Returns 0 to go on, or -1
 * with the exit status in *status.
 */
int cmdline_parse(const struct cmdline_prog *p, int argc, char **argv,
    void *ctx, FILE *out, FILE *err, int *status);

/*
 * Rewrites the command line of a program whose operands may be negative
 * numbers ("-122.4"), which getopt_long would read as options: 'out', of
 * argc + 2 slots, gets argv[0], the options with their arguments, "--",
 * the operands, then NULL, each group in its order.  A word of '-' and a
 * digit or '.' is an operand; so is every word after "--".  An option is
 * known by 'opts' (a long one by a unique prefix, as getopt_long does) to
 * take its argument from the next word.  Returns the new count.
 */
int cmdline_operands_last(const struct cmdline_opt *opts, int argc,
    char **argv, char **out);

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

/* The entry of 'opts' (borrowed) for option value 'val', or NULL. */
const struct cmdline_opt *cmdline_find(const struct cmdline_opt *opts,
    int val);

/* The long name of option 'val' in 'opts', or "?" when it has none. */
const char *cmdline_long_name(const struct cmdline_opt *opts, int val);

/*
 * Option 'val''s argument 'arg' as a whole number in [min, max], through
 * cmdline_number().  Returns 0, or -1 with "--NAME 'ARG' is outside [MIN,
 * MAX]" or "... is not a whole number in [MIN, MAX]" in 'err'.
 */
int cmdline_number_arg(const struct cmdline_opt *opts, int val,
    const char *arg, long long min, long long max, long long *out, char *err,
    size_t errlen);

/*
 * The same for a decimal number, through cmdline_double(): the message
 * says "is outside" or "is not a number in".
 */
int cmdline_double_arg(const struct cmdline_opt *opts, int val,
    const char *arg, double min, double max, double *out, char *err,
    size_t errlen);

/*
 * Appends 'arg' (borrowed) to 'list', which holds *n of at most 'max'
 * items, for a repeatable option 'val'.  Returns 0, or -1 with "more than
 * MAX --NAME options" in 'err' when the list is full.
 */
int cmdline_list_add(const struct cmdline_opt *opts, int val, const char *arg,
    const char **list, size_t *n, size_t max, char *err, size_t errlen);

#endif

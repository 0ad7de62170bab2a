/*
 * cmdline.c - option tables turned into getopt_long arguments and help, the
 * options read, and option values checked against a range.
 */
#include "cmdline.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "version.h"

int
cmdline_init(struct cmdline *cl, const struct cmdline_opt *opts)
{
	size_t n = 0, s = 0;

	memset(cl, 0, sizeof(*cl));
	for (; opts[n].long_name != NULL; n++) {
		if (n + 1 >= CMDLINE_MAX) {
			errno = EINVAL;
			return -1;
		}
		for (size_t k = 0; k < n; k++) {
			if (opts[k].val == opts[n].val) {
				errno = EINVAL;
				return -1;
			}
		}
		cl->longopts[n].name = opts[n].long_name;
		cl->longopts[n].has_arg = opts[n].arg ? required_argument :
		                                        no_argument;
		cl->longopts[n].flag = NULL;
		cl->longopts[n].val = opts[n].val;
		if (opts[n].val > 0 && opts[n].val < CMDLINE_LONG_ONLY) {
			cl->shortopts[s++] = (char)opts[n].val;
			if (opts[n].arg)
				cl->shortopts[s++] = ':';
		}
	}
	cl->shortopts[s] = '\0';
	return 0;
}

void
cmdline_help(FILE *out, const char *usage, const struct cmdline_opt *opts)
{
	fputs(usage, out);
	fputs("\noptions:\n", out);
	for (; opts->long_name != NULL; opts++) {
		char left[64];
		int len;

		if (opts->val > 0 && opts->val < CMDLINE_LONG_ONLY)
			len = snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    opts->val, opts->long_name, opts->arg ? " " : "",
			    opts->arg ? opts->arg : "");
		else
			len = snprintf(left, sizeof(left), "    --%s%s%s",
			    opts->long_name, opts->arg ? " " : "",
			    opts->arg ? opts->arg : "");
		if (len < 0)
			continue;
		if (len >= 30)
			fprintf(out, "  %s\n  %-30s", left, "");
		else
			fprintf(out, "  %-30s", left);
		fprintf(out, " %s", opts->help);
		if (opts->env != NULL)
			fprintf(out, " [$%s]", opts->env);
		fputc('\n', out);
	}
}

int
cmdline_apply_env(const struct cmdline_opt *opts,
    int (*apply)(int val, const char *arg, void *ctx), void *ctx,
    const char **bad)
{
	int rc;

	for (; opts->long_name != NULL; opts++) {
		const char *v;

		if (opts->env == NULL || (v = getenv(opts->env)) == NULL ||
		    *v == '\0')
			continue;
		if ((rc = apply(opts->val, v, ctx)) != 0) {
			*bad = opts->env;
			return rc;
		}
	}
	return 0;
}

/* Tells on 'err' why apply() refused, when the program has a way to say. */
static void
say_refused(const struct cmdline_prog *p, void *ctx, FILE *err)
{
	if (p->reason_at != 0)
		fprintf(err, "%s: %s\n", p->name,
		    (const char *)ctx + p->reason_at - 1);
}

int
cmdline_parse(const struct cmdline_prog *p, int argc, char **argv, void *ctx,
    FILE *out, FILE *err, int *status)
{
	struct cmdline cl;
	const char *bad;
	int c;

	if (cmdline_init(&cl, p->opts) == -1) {
		fprintf(err, "%s: bad option table\n", p->name);
		*status = EX_SOFTWARE;
		return -1;
	}
	if (cmdline_apply_env(p->opts,
	        p->apply_env != NULL ? p->apply_env : p->apply, ctx,
	        &bad) != 0) {
		say_refused(p, ctx, err);
		fprintf(err, "%s: bad value in $%s\n", p->name, bad);
		*status = p->env_status;
		return -1;
	}
	optind = 0; /* glibc: start afresh, as for a new argv */
	while ((c = getopt_long(argc, argv, cl.shortopts, cl.longopts,
	            NULL)) != -1) {
		switch (c) {
		case 'h':
			cmdline_help(out, p->usage, p->opts);
			*status = 0;
			return -1;
		case 'V':
			fprintf(out, "%s %s\n", p->name, GEOROOM_VERSION);
			*status = 0;
			return -1;
		case '?':
			fprintf(err, "%s: try '%s --help'\n", p->name,
			    p->name);
			*status = EX_USAGE;
			return -1;
		default:
			if (p->apply(c, optarg, ctx) != 0) {
				say_refused(p, ctx, err);
				*status = EX_USAGE;
				return -1;
			}
		}
	}
	return 0;
}

/* Whether the long option "--word" (no '=') takes the next word. */
static int
long_takes_next(const struct cmdline_opt *opts, const char *word)
{
	const struct cmdline_opt *hit = NULL;
	size_t len = strlen(word);

	for (; opts->long_name != NULL; opts++) {
		if (strncmp(opts->long_name, word, len) != 0)
			continue;
		if (opts->long_name[len] == '\0')
			return opts->arg != NULL;
		/* A prefix of two options is ambiguous: getopt says so. */
		if (hit != NULL)
			return 0;
		hit = opts;
	}
	return hit != NULL && hit->arg != NULL;
}

/* Whether the short options "-word" end with one taking the next word. */
static int
short_takes_next(const struct cmdline_opt *opts, const char *word)
{
	for (; *word != '\0'; word++) {
		const struct cmdline_opt *o = cmdline_find(opts,
		    (unsigned char)*word);

		if (o != NULL && o->arg != NULL)
			return word[1] == '\0';
	}
	return 0;
}

int
cmdline_operands_last(const struct cmdline_opt *opts, int argc, char **argv,
    char **out)
{
	int n = 0, i;

	out[n++] = argv[0];
	/* First the options. */
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];
		int next;

		if (strcmp(w, "--") == 0)
			break;
		if (w[0] != '-' || w[1] == '\0' || w[1] == '.' ||
		    (w[1] >= '0' && w[1] <= '9'))
			continue;
		next = w[1] == '-' ?
		    strchr(w, '=') == NULL && long_takes_next(opts, w + 2) :
		    short_takes_next(opts, w + 1);
		out[n++] = argv[i];
		if (next && i + 1 < argc)
			out[n++] = argv[++i];
	}
	out[n++] = "--";
	/* Then the operands, in order. */
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "--") == 0) {
			while (++i < argc)
				out[n++] = argv[i];
			break;
		}
		if (w[0] != '-' || w[1] == '\0' || w[1] == '.' ||
		    (w[1] >= '0' && w[1] <= '9')) {
			out[n++] = argv[i];
			continue;
		}
		if ((w[1] == '-' ? strchr(w, '=') == NULL &&
		                long_takes_next(opts, w + 2) :
		                   short_takes_next(opts, w + 1)) &&
		    i + 1 < argc)
			i++;
	}
	out[n] = NULL;
	return n;
}

int
cmdline_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || end == s) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int
cmdline_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s || isnan(v)) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || !isfinite(v) || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

const struct cmdline_opt *
cmdline_find(const struct cmdline_opt *opts, int val)
{
	for (; opts->long_name != NULL; opts++) {
		if (opts->val == val)
			return opts;
	}
	return NULL;
}

const char *
cmdline_long_name(const struct cmdline_opt *opts, int val)
{
	const struct cmdline_opt *o = cmdline_find(opts, val);

	return o != NULL ? o->long_name : "?";
}

int
cmdline_number_arg(const struct cmdline_opt *opts, int val, const char *arg,
    long long min, long long max, long long *out, char *err, size_t errlen)
{
	if (cmdline_number(arg, min, max, out) == 0)
		return 0;
	snprintf(err, errlen, "--%s '%s' %s [%lld, %lld]",
	    cmdline_long_name(opts, val), arg,
	    errno == ERANGE ? "is outside" : "is not a whole number in", min,
	    max);
	return -1;
}

int
cmdline_double_arg(const struct cmdline_opt *opts, int val, const char *arg,
    double min, double max, double *out, char *err, size_t errlen)
{
	if (cmdline_double(arg, min, max, out) == 0)
		return 0;
	snprintf(err, errlen, "--%s '%s' %s [%g, %g]",
	    cmdline_long_name(opts, val), arg,
	    errno == ERANGE ? "is outside" : "is not a number in", min, max);
	return -1;
}

int
cmdline_list_add(const struct cmdline_opt *opts, int val, const char *arg,
    const char **list, size_t *n, size_t max, char *err, size_t errlen)
{
	if (*n >= max) {
		snprintf(err, errlen, "more than %zu --%s options", max,
		    cmdline_long_name(opts, val));
		return -1;
	}
	list[(*n)++] = arg;
	return 0;
}

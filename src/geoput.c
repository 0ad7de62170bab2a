/*
 * geoput.c - store GeoJSON locations in MySQL/MariaDB and notify the hub.
 * Placeholder until its issue (5) lands: --help, --version and usage
 * errors behave as they will in the finished program.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cmdline.h"
#include "exits.h"
#include "version.h"

static const struct cmdline_opt options[] = {
	{ "help", 'h', NULL, "print this help and exit", NULL },
	{ "version", 'V', NULL, "print the version and exit", NULL },
	{ 0 }
};

static const char usage[] = "usage: geoput [-hV]\n";

int
main(int argc, char **argv)
{
	struct cmdline cl;
	int c;

	if (cmdline_init(&cl, options) == -1)
		return EX_SOFTWARE;
	while ((c = getopt_long(argc, argv, cl.shortopts, cl.longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			cmdline_help(stdout, usage, options);
			return 0;
		case 'V':
			printf("geoput %s\n", GEOROOM_VERSION);
			return 0;
		default:
			fprintf(stderr, "%s: try '%s --help'\n", argv[0],
			    argv[0]);
			return EX_USAGE;
		}
	}
	fprintf(stderr, "geoput: not implemented yet (issue 5)\n");
	return EX_SOFTWARE;
}

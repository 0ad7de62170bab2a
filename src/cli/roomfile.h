/*
 * roomfile.h - the rooms join takes from a file (-f), one name a line,
 * added to those of the command line.
 * Owns: the file's text, cut into names in place, and the argument
 * vector that holds the command line's words and then the file's names.
 * roomfile_split() is pure; roomfile_read() reads the file.
 */
#ifndef GEOROOM_ROOMFILE_H
#define GEOROOM_ROOMFILE_H

#include <stddef.h>

/* Longest room-file read, in bytes: 100,000 names of 160 bytes. */
#define ROOMFILE_MAX (16u << 20)

struct roomfile {
	char *text;  /* owned: the file, its lines NUL-terminated */
	char **argv; /* owned array, NULL-ended; the strings borrow from
			the command line's argv and from 'text' */
	int argc;
	size_t cap;
};

void roomfile_init(struct roomfile *rf);

/*
 * Cuts 'len' bytes of 'text' (changed in place: each line's end becomes
 * NUL) into room names, one a line: a line's "\r\n" end counts as "\n",
 * blank lines are skipped, and a name is taken as written, spaces and
 * '#' included.  Calls 'fn' for each name in order; stops when it
 * returns -1.  Returns how many names, or -1 with the reason in 'err':
 * a NUL byte, a line that is not UTF-8, or fn's failure.
 */
long roomfile_split(char *text, size_t len,
    int (*fn)(const char *name, void *arg), void *arg, char *err,
    size_t errlen);

/*
 * Reads the rooms in 'path' ("-": standard input) and makes rf->argv:
 * the 'argc' words of 'argv' (borrowed; the command first, then its
 * rooms), then the file's names.  Returns 0, or -1 with the reason in
 * 'err' (naming the file) and errno: ENOENT and the like from open(),
 * EFBIG past ROOMFILE_MAX, EINVAL for a bad line, ENOMEM.
 */
int roomfile_read(struct roomfile *rf, const char *path, int argc, char **argv,
    char *err, size_t errlen);

void roomfile_release(struct roomfile *rf);

#endif

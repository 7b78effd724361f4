/* problem.h: a list of problems found in a document, each with file, line and path. */
#ifndef CASUS_PROBLEM_H
#define CASUS_PROBLEM_H

#include <stddef.h>
#include <stdio.h>

struct problem {
	char *file;     /* as given to the parser, e.g. "cases/3f/B-1/plan.yaml"; may be NULL */
	int line;       /* 1-based; 0 when unknown */
	char *path;     /* path in the document, "domains.mental_health.status", "team.dg-epi[0]"; "" at the root */
	char *msg;      /* lowercase, no full stop */
};

struct problems {
	struct problem *v;
	size_t n, cap;
};

/* Appends a problem; file and path may be NULL. All strings are copied. */
void problems_add(struct problems *ps, const char *file, int line, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The most problems problems_print() shows for one file. */
#define PROBLEMS_SHOWN 100

/*
 * Prints "file:line: path: msg" per problem (parts left out when absent), each line prefixed
 * by prefix if not NULL, names and values escaped for a terminal. Of a file's problems (one
 * run of problems with the same file) the first PROBLEMS_SHOWN are printed, then one line
 * "file: ... and N more problems", so one bad file cannot bury everything else.
 */
void problems_print(const struct problems *ps, FILE *f, const char *prefix);
void problems_free(struct problems *ps);

#endif

/* problem.c: problems found in documents, printed as "file:line: path: message". */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "problem.h"
#include "quote.h"

void
problems_add(struct problems *ps, const char *file, int line, const char *path,
    const char *fmt, ...)
{
	struct problem *p;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	xgrow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v);
	p = &ps->v[ps->n++];
	p->file = file ? xstrdup(file) : NULL;
	p->line = line;
	p->path = xstrdup(path ? path : "");
	p->msg = msg;
}

static bool
same_file(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
print_file(FILE *f, const char *prefix, const char *file)
{
	if (prefix)
		fprintf(f, "%s: ", prefix);
	if (file)
		out_text(f, file, strlen(file), false);
}

/* A problem quotes names and values from the file: each part is escaped as every message is. */
static void
print_one(FILE *f, const char *prefix, const struct problem *p)
{
	print_file(f, prefix, p->file);
	if (p->file) {
		if (p->line > 0)
			fprintf(f, ":%d", p->line);
		fputs(": ", f);
	}
	if (p->path[0]) {
		out_text(f, p->path, strlen(p->path), false);
		fputs(": ", f);
	}
	out_text(f, p->msg, strlen(p->msg), false);
	fputc('\n', f);
}

void
problems_print(const struct problems *ps, FILE *f, const char *prefix)
{
	size_t i = 0, j;

	while (i < ps->n) {
		for (j = i; j < ps->n && same_file(ps->v[i].file, ps->v[j].file); j++)
			if (j - i < PROBLEMS_SHOWN)
				print_one(f, prefix, &ps->v[j]);
		if (j - i > PROBLEMS_SHOWN) {
			print_file(f, prefix, ps->v[i].file);
			fprintf(f, "%s... and %zu more problem%s\n", ps->v[i].file ? ": " : "",
			    j - i - PROBLEMS_SHOWN, j - i - PROBLEMS_SHOWN == 1 ? "" : "s");
		}
		i = j;
	}
}

void
problems_free(struct problems *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].file);
		free(ps->v[i].path);
		free(ps->v[i].msg);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

/* problem.c: problems found in documents, printed as "file:line: path: message". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem.h"
#include "problem.h"

void
problems_add(struct problems *ps, const char *file, int line, const char *path,
    const char *fmt, ...)
{
	struct problem *p;
	struct buf b = {0};
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_adds(&b, tmp);
	xgrow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v);
	p = &ps->v[ps->n++];
	p->file = file ? xstrdup(file) : NULL;
	p->line = line;
	p->path = xstrdup(path ? path : "");
	p->msg = buf_detach(&b);
}

void
problems_print(const struct problems *ps, FILE *f, const char *prefix)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct problem *p = &ps->v[i];

		if (prefix)
			fprintf(f, "%s: ", prefix);
		if (p->file) {
			fputs(p->file, f);
			if (p->line > 0)
				fprintf(f, ":%d", p->line);
			fputs(": ", f);
		}
		if (p->path[0])
			fprintf(f, "%s: ", p->path);
		fprintf(f, "%s\n", p->msg);
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

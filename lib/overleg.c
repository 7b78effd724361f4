/*
 * overleg.c: when consultations are due, counted the same way everywhere. "Three months
 * before" is calendar arithmetic clamped to the month's end (31 May - 3 months = 28 or 29
 * February), and a consultation overdue is shown, never skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseid.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"

static struct date
get_date(const struct doc *d, const char *key)
{
	struct date r = {0, 0, 0};
	const struct doc *v = doc_get(d, key);

	if (v && v->type == DOC_STR)
		date_parse(v->s, v->len, &r);
	return r;
}

static int
by_date(const void *a, const void *b)
{
	return date_cmp(get_date(*(const struct doc *const *)a, "date"),
	    get_date(*(const struct doc *const *)b, "date"));
}

char *
overleg_path(const char *case_id, struct date d)
{
	char *dir = case_path(case_id, "overleg"), buf[11], *p;

	p = xasprintf("%s/%s.yaml", dir, date_format(d, buf));
	free(dir);
	return p;
}

int
overlegs_read(const struct view *v, const char *case_id, struct overlegs *out)
{
	if (case_events_read(v, case_id, "overleg", "overleg", "date", &out->v, &out->n) < 0)
		return -1;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_date);
	return 0;
}

void
overlegs_free(struct overlegs *o)
{
	for (size_t i = 0; i < o->n; i++)
		doc_free(o->v[i]);
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

static bool
held(const struct doc *o)
{
	return strcmp(doc_get_str(o, "status"), "held") == 0;
}

const struct doc *
overlegs_on(const struct overlegs *o, struct date d)
{
	for (size_t i = 0; i < o->n; i++)
		if (date_cmp(get_date(o->v[i], "date"), d) == 0)
			return o->v[i];
	return NULL;
}

const struct doc *
overlegs_last_held(const struct overlegs *o)
{
	for (size_t i = o->n; i-- > 0;)
		if (held(o->v[i]))
			return o->v[i];
	return NULL;
}

bool
overleg_pre_leave(const struct settings *cfg, const struct doc *plan, struct date *pre, struct date *leave)
{
	const char *v = doc_get_str(doc_get(plan, "dates"), "leave_eligible");

	if (v == NULL || date_parse(v, strlen(v), leave) < 0)
		return false;
	*pre = date_add_duration(*leave, cfg->pre_leave_lead, -1);
	return true;
}

const struct doc *
overleg_pre_leave_held(const struct settings *cfg, const struct doc *plan, const struct overlegs *o)
{
	struct date pre, leave;

	if (!overleg_pre_leave(cfg, plan, &pre, &leave))
		return NULL;
	for (size_t i = 0; i < o->n; i++) {
		struct date d = get_date(o->v[i], "date");

		if (held(o->v[i]) && date_cmp(d, pre) >= 0 && date_cmp(d, leave) <= 0)
			return o->v[i];
	}
	return NULL;
}

static void
add(struct due **v, size_t *n, size_t *cap, const struct overlegs *o, struct date d,
    const char *kind, struct date today)
{
	const struct doc *planned = overlegs_on(o, d);
	struct due *x;

	xgrow((void **)v, cap, *n + 1, sizeof **v);
	x = &(*v)[(*n)++];
	x->date = d;
	x->kind = kind;
	if (date_cmp(d, today) < 0)
		x->status = "overdue";
	else if (planned && !held(planned))
		x->status = "planned";
	else
		x->status = "due";
}

static int
due_cmp(const void *a, const void *b)
{
	const struct due *x = a, *y = b;
	int c = date_cmp(x->date, y->date);

	return c ? c : strcmp(x->kind, y->kind);
}

size_t
overleg_due(const struct settings *cfg, const struct doc *plan, const struct overlegs *o,
    struct date today, struct date from, struct date until, struct due **out)
{
	struct duration cadence = cfg->cadence;
	const struct doc *last = overlegs_last_held(o);
	struct date base, d, pre, leave;
	bool has_pre = overleg_pre_leave(cfg, plan, &pre, &leave);
	bool pre_open = has_pre && overleg_pre_leave_held(cfg, plan, o) == NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (strcmp(doc_get_str(plan, "status"), "open") != 0)
		return 0;
	base = last ? get_date(last, "date") : get_date(doc_get(plan, "dates"), "detention_start");
	d = date_add_duration(base, cadence, 1);
	/*
	 * A date past 9999-12-31 is not a date casus can write (date_format() has four digits,
	 * and 10000-01-12 came out as 0000-01-12 on the calendar): no consultation is due there.
	 */
	if (!date_valid(d)) {
		/* nothing periodic */
	} else if (date_cmp(d, today) < 0) {
		if (!(pre_open && date_cmp(d, pre) == 0))
			add(out, &n, &cap, o, d, "periodic", today);
	} else {
		/* At least a day a step, so a hostile cadence cannot loop for ever. */
		for (; date_valid(d) && date_cmp(d, until) <= 0; d = date_add_duration(d, cadence, 1)) {
			if (date_cmp(d, from) >= 0 && !(pre_open && date_cmp(d, pre) == 0))
				add(out, &n, &cap, o, d, "periodic", today);
			if (cadence.n == 0)
				break;
		}
	}
	if (pre_open && (date_cmp(pre, today) < 0 ||
	    (date_cmp(pre, from) >= 0 && date_cmp(pre, until) <= 0)))
		add(out, &n, &cap, o, pre, "pre-leave", today);
	if (n > 1)
		qsort(*out, n, sizeof **out, due_cmp);
	return n;
}

size_t
overleg_agreements(const struct overlegs *o, struct agreement **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; i < o->n; i++) {
		const struct doc *ag = doc_get(o->v[i], "agreements");
		const struct doc *closes = doc_get(o->v[i], "closes");

		if (!held(o->v[i]))
			continue;
		/* Closings refer to agreements of earlier consultations, listed already. */
		for (size_t c = 0; closes && c < closes->n; c++) {
			const char *id = doc_get_str(closes->items[c], "agreement");

			for (size_t k = 0; k < n; k++)
				if (strcmp((*out)[k].id, id) == 0)
					(*out)[k].closed = doc_get_str(closes->items[c], "status");
		}
		for (size_t k = 0; ag && k < ag->n; k++) {
			xgrow((void **)out, &cap, n + 1, sizeof **out);
			snprintf((*out)[n].id, sizeof (*out)[n].id, "%s#%zu", doc_get_str(o->v[i], "date"), k + 1);
			(*out)[n].a = ag->items[k];
			(*out)[n].overleg = o->v[i];
			(*out)[n].closed = NULL;
			n++;
		}
	}
	return n;
}

/*
 * overleg.c: consultations decoded, checked, and counted the same way everywhere. "Three
 * months before" is calendar arithmetic clamped to the month's end (31 May - 3 months = 28 or
 * 29 February), and a consultation overdue is shown, never skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "caseid.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "schemas.h"
#include "seal.h"

/* Decoding. The tree passed its schema; a field that is not as it says fails the decoding. */

struct dec {
	bool bad;
	const char *field;              /* the first field not as the schema says */
};

static void
bad(struct dec *x, const char *field)
{
	if (!x->bad) {
		x->bad = true;
		x->field = field;
	}
}

static const char *
str(struct dec *x, const struct doc *map, const char *key, bool required)
{
	const struct doc *v = doc_get(map, key);

	if (v && v->type == DOC_STR)
		return v->s;
	if (v || required)
		bad(x, key);
	return NULL;
}

/* The text at key (seal_text(): SEAL_CLOSED for a sealed value), as str() reads a string. */
static const char *
text(struct dec *x, const struct doc *map, const char *key, bool required)
{
	const struct doc *v = doc_get(map, key);
	const char *s = seal_text(v);

	if (s == NULL && (v || required))
		bad(x, key);
	return s;
}

static int
line_of(const struct doc *map, const char *key)
{
	const struct doc *v = doc_get(map, key);

	return v ? v->line : 0;
}

static struct date
date_of(struct dec *x, const struct doc *map, const char *key, bool required)
{
	const char *s = str(x, map, key, required);
	struct date d = {0, 0, 0};

	if (s && date_parse(s, strlen(s), &d) < 0)
		bad(x, key);
	return d;
}

static int
word(struct dec *x, const struct doc *map, const char *key, const struct vocab *t)
{
	int i = vocab_find(t, str(x, map, key, true));

	if (i < 0)
		bad(x, key);
	return i < 0 ? 0 : i;
}

/* The sequence at key (NULL when absent); anything else there fails the decoding. */
static const struct doc *
seq(struct dec *x, const struct doc *map, const char *key, size_t *n)
{
	const struct doc *v = doc_get(map, key);

	*n = 0;
	if (v == NULL)
		return NULL;
	if (v->type != DOC_SEQ) {
		bad(x, key);
		return NULL;
	}
	*n = v->n;
	return v;
}

/* "2026-11-20#2": the pattern of the schema, read into a date and a number. */
static void
close_id(struct overleg_close *c)
{
	const char *hash = strchr(c->agreement, '#');
	char *end;

	if (hash == NULL || date_parse(c->agreement, (size_t)(hash - c->agreement), &c->made) < 0) {
		c->made = (struct date){0, 0, 0};
		return;
	}
	c->n = strtoul(hash + 1, &end, 10);
	if (*end != '\0' || c->n == 0)
		c->made = (struct date){0, 0, 0};
}

static void
decode_shared(struct dec *x, struct overleg *o, const struct doc *l)
{
	o->shared = xcalloc(o->nshared, sizeof *o->shared);
	for (size_t i = 0; i < o->nshared; i++) {
		const struct doc *it = l->items[i], *to, *cov = doc_get(it, "covered_by");
		struct overleg_share *s = &o->shared[i];

		s->category = str(x, it, "category", true);
		s->from = str(x, it, "from", true);
		s->line = it->line;
		s->category_line = line_of(it, "category");
		s->from_line = line_of(it, "from");
		to = seq(x, it, "to", &s->nto);
		s->to = xcalloc(s->nto, sizeof *s->to);
		for (size_t k = 0; k < s->nto; k++) {
			s->to[k].line = to->items[k]->line;
			s->to[k].partner = doc_str(to->items[k]);
			if (s->to[k].partner == NULL)
				bad(x, "to");
		}
		if (cov && cov->type != DOC_MAP)
			bad(x, "covered_by");
		else if (cov) {
			s->covered = true;
			s->covered_line = cov->line;
			for (size_t k = 0; k < s->nto; k++)
				if (s->to[k].partner)
					s->to[k].covered_by = doc_get_str(cov, s->to[k].partner);
		}
	}
}

static void
decode_dissent(struct dec *x, struct overleg_decision *dc, const struct doc *map)
{
	const struct doc *l = seq(x, map, "dissent", &dc->ndissent);

	dc->dissent = xcalloc(dc->ndissent, sizeof *dc->dissent);
	for (size_t i = 0; i < dc->ndissent; i++) {
		struct overleg_dissent *s = &dc->dissent[i];

		s->partner = str(x, l->items[i], "partner", true);
		s->point = text(x, l->items[i], "point", true);
		s->line = l->items[i]->line;
		s->partner_line = line_of(l->items[i], "partner");
	}
}

static void
decode_decision(struct dec *x, struct overleg_decision *dc, const struct doc *map,
    const char *text_key)
{
	const struct doc *cons = doc_get(map, "consensus");

	dc->line = map->line;
	if (cons == NULL || cons->type != DOC_BOOL)
		bad(x, "consensus");
	else
		dc->consensus = cons->b;
	dc->text = text(x, map, text_key, false);
	decode_dissent(x, dc, map);
}

/*
 * The decisions (R7): "decisions", a list, or the form before issue 10, "decision", one for
 * the meeting with an optional note. Both given is for overleg_check() to report; the list
 * then comes first.
 */
static void
decode_decisions(struct dec *x, struct overleg *o, const struct doc *d)
{
	const struct doc *old = doc_get(d, "decision"), *l;
	size_t n;

	l = seq(x, d, "decisions", &n);
	if (old && old->type != DOC_MAP) {
		bad(x, "decision");
		return;
	}
	o->both_forms = l && old;
	o->decisions = xcalloc(n + (old != NULL), sizeof *o->decisions);
	for (size_t i = 0; i < n; i++) {
		struct overleg_decision *dc = &o->decisions[o->ndecisions++];

		dc->path = xasprintf("decisions[%zu]", i);
		if (l->items[i]->type != DOC_MAP) {
			bad(x, "decisions");
			continue;
		}
		decode_decision(x, dc, l->items[i], "text");
	}
	if (old) {
		struct overleg_decision *dc = &o->decisions[o->ndecisions++];

		dc->path = xstrdup("decision");
		decode_decision(x, dc, old, "note");
	}
}

struct overleg *
overleg_decode(struct doc *d)
{
	struct overleg *o = xcalloc(1, sizeof *o);
	struct dec x = {0};
	const struct doc *l;

	o->doc = d;
	if (d == NULL || d->type != DOC_MAP) {
		bad(&x, "the consultation");
		goto done;
	}
	o->line = d->line;
	o->case_id = str(&x, d, "case_id", true);
	o->date = date_of(&x, d, "date", true);
	o->date_line = line_of(d, "date");
	o->case_id_line = line_of(d, "case_id");
	o->kind = word(&x, d, "kind", vocab_overleg_kinds);
	o->kind_line = line_of(d, "kind");
	o->status = word(&x, d, "status", vocab_overleg_status);

	l = seq(&x, d, "present", &o->npresent);
	o->present = xcalloc(o->npresent, sizeof *o->present);
	for (size_t i = 0; i < o->npresent; i++) {
		o->present[i].partner = str(&x, l->items[i], "partner", true);
		o->present[i].member = str(&x, l->items[i], "member", true);
		o->present[i].line = l->items[i]->line;
		o->present[i].partner_line = line_of(l->items[i], "partner");
	}
	o->present_line = line_of(d, "present");
	l = seq(&x, d, "guests", &o->nguests);
	o->guests = xcalloc(o->nguests, sizeof *o->guests);
	for (size_t i = 0; i < o->nguests; i++) {
		o->guests[i].name = str(&x, l->items[i], "name", true);
		o->guests[i].organisation = str(&x, l->items[i], "organisation", true);
		o->guests[i].line = l->items[i]->line;
	}
	l = seq(&x, d, "absent", &o->nabsent);
	o->absent = xcalloc(o->nabsent, sizeof *o->absent);
	for (size_t i = 0; i < o->nabsent; i++) {
		const struct doc *it = l->items[i];

		o->absent[i].line = it->line;
		/* A bare partner is the form before issue 10, which gave no reason. */
		if (it->type == DOC_MAP) {
			o->absent[i].partner = str(&x, it, "partner", true);
			o->absent[i].reason = str(&x, it, "reason", true);
		} else if ((o->absent[i].partner = doc_str(it)) == NULL) {
			bad(&x, "absent");
		}
	}
	l = seq(&x, d, "agreements", &o->nagreements);
	o->agreements = xcalloc(o->nagreements, sizeof *o->agreements);
	for (size_t i = 0; i < o->nagreements; i++) {
		struct overleg_agreement *a = &o->agreements[i];

		a->text = text(&x, l->items[i], "text", true);
		a->owner = str(&x, l->items[i], "owner", true);
		a->due = date_of(&x, l->items[i], "due", false);
		a->node = l->items[i];
		a->line = l->items[i]->line;
		a->owner_line = line_of(l->items[i], "owner");
	}
	l = seq(&x, d, "closes", &o->ncloses);
	o->closes = xcalloc(o->ncloses, sizeof *o->closes);
	for (size_t i = 0; i < o->ncloses; i++) {
		struct overleg_close *c = &o->closes[i];

		c->agreement = str(&x, l->items[i], "agreement", true);
		c->status = word(&x, l->items[i], "status", vocab_closings);
		c->line = l->items[i]->line;
		if (c->agreement)
			close_id(c);
	}
	decode_decisions(&x, o, d);
	l = seq(&x, d, "shared", &o->nshared);
	if (!x.bad)
		decode_shared(&x, o, l);
done:
	if (x.bad) {
		err_set("cannot read a consultation: %s is not as the schema says", x.field);
		overleg_free(o);
		return NULL;
	}
	return o;
}

void
overleg_free(struct overleg *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; o->shared && i < o->nshared; i++)
		free(o->shared[i].to);
	free(o->shared);
	for (size_t i = 0; o->decisions && i < o->ndecisions; i++) {
		free(o->decisions[i].dissent);
		free(o->decisions[i].path);
	}
	free(o->decisions);
	free(o->guests);
	free(o->closes);
	free(o->agreements);
	free(o->absent);
	free(o->present);
	doc_free(o->doc);
	free(o);
}

/* The case's consultations. */

static int
by_date(const void *a, const void *b)
{
	return date_cmp((*(struct overleg *const *)a)->date, (*(struct overleg *const *)b)->date);
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
	struct doc **docs;
	size_t n;

	out->v = NULL;
	out->n = 0;
	if (case_events_read(v, case_id, "overleg", "overleg", "date", &docs, &n) < 0)
		return -1;
	out->v = xcalloc(n, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		struct overleg *o = overleg_decode(docs[i]);

		if (o == NULL) {
			for (size_t k = i + 1; k < n; k++)
				doc_free(docs[k]);
			free(docs);
			overlegs_free(out);
			return -1;
		}
		out->v[out->n++] = o;
	}
	free(docs);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_date);
	return 0;
}

void
overlegs_add(struct overlegs *o, struct overleg *ov)
{
	size_t i = o->n;

	o->v = xrealloc(o->v, (o->n + 1) * sizeof *o->v);
	/* After those of the same date, so a list read in name order keeps that order. */
	for (; i > 0 && date_cmp(o->v[i - 1]->date, ov->date) > 0; i--)
		o->v[i] = o->v[i - 1];
	o->v[i] = ov;
	o->n++;
}

void
overlegs_free(struct overlegs *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++)
		overleg_free(o->v[i]);
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

static bool
held(const struct overleg *o)
{
	return o->status == OS_HELD;
}

const struct overleg *
overlegs_on(const struct overlegs *o, struct date d)
{
	for (size_t i = 0; o && i < o->n; i++)
		if (date_cmp(o->v[i]->date, d) == 0)
			return o->v[i];
	return NULL;
}

const struct overleg *
overlegs_last_held(const struct overlegs *o)
{
	for (size_t i = o ? o->n : 0; i-- > 0;)
		if (held(o->v[i]))
			return o->v[i];
	return NULL;
}

/* The plan, as the consultations read it: a key date ({0} when absent or with no plan). */
static struct date
plan_date(const struct plan *plan, enum plan_date k)
{
	return plan ? plan->dates[k] : (struct date){0, 0, 0};
}

static bool
plan_open(const struct plan *plan)
{
	return plan && plan->status == PLAN_OPEN;
}

/* Whether partner has a fixed team on the plan (R9). */
static bool
plan_has_team(const struct plan *plan, const char *partner)
{
	return plan_team(plan, partner) != NULL;
}

/* The dates they fall on. */

/*
 * The pre-leave window (R6): the paper asks for the consultation "three months before" leave
 * eligibility, and a team meets when all its partners can, not on a computed day. Two weeks
 * either side of that date is still three months before in any caseworker's reading (from two
 * and a half to three and a half), gives a fortnight to find a day the justice houses can come
 * too (R8), and keeps it a consultation of its own: a periodic one held a cadence (six weeks)
 * earlier is not it. Never on or after leave eligibility itself, whatever the lead time: a
 * consultation then prepares nothing. The one place the window is set; overleg-schedule(1)
 * and casus(7) describe it.
 */
static const struct duration pre_leave_slack = {2, 'w'};

/* The pre-leave date before leave, if leave is a date. */
static bool
pre_leave_of(const struct settings *cfg, struct date leave, struct date *pre)
{
	if (!date_valid(leave))
		return false;
	*pre = date_add_duration(leave, cfg->pre_leave_lead, -1);
	return true;
}

/* The window around the pre-leave date, both days included; false if leave is no date. */
static bool
window_of(const struct settings *cfg, struct date leave, struct date *first, struct date *last)
{
	struct date pre, eve = date_add_days(leave, -1);

	if (!pre_leave_of(cfg, leave, &pre))
		return false;
	*first = date_add_duration(pre, pre_leave_slack, -1);
	*last = date_add_duration(pre, pre_leave_slack, 1);
	/* The lead time is a day at least (casus.yaml(5)): the pre-leave date stays inside. */
	if (date_cmp(*last, eve) > 0)
		*last = eve;
	return true;
}

bool
overleg_pre_leave(const struct settings *cfg, const struct plan *plan, struct date *pre,
    struct date *leave)
{
	struct date l = plan_date(plan, PD_LEAVE_ELIGIBLE);

	if (!pre_leave_of(cfg, l, pre))
		return false;
	*leave = l;
	return true;
}

bool
overleg_pre_leave_window(const struct settings *cfg, const struct plan *plan, struct date *first,
    struct date *last)
{
	return window_of(cfg, plan_date(plan, PD_LEAVE_ELIGIBLE), first, last);
}

/* Whether date falls in the pre-leave window of leave. */
static bool
in_window(const struct settings *cfg, struct date leave, struct date date)
{
	struct date first, last;

	return window_of(cfg, leave, &first, &last) && date_cmp(date, first) >= 0 &&
	    date_cmp(date, last) <= 0;
}

/* Whether a member of partner is listed present at o (R8: the justice houses at the pre-leave one). */
static bool
attended_by(const struct overleg *o, const char *partner)
{
	for (size_t i = 0; i < o->npresent; i++)
		if (o->present[i].partner && strcmp(o->present[i].partner, partner) == 0)
			return true;
	return false;
}

const struct overleg *
overleg_pre_leave_attended(const struct settings *cfg, const struct plan *plan,
    const struct overlegs *o, const char *partner)
{
	struct date leave = plan_date(plan, PD_LEAVE_ELIGIBLE);

	for (size_t i = 0; o && i < o->n; i++)
		if (held(o->v[i]) && in_window(cfg, leave, o->v[i]->date) &&
		    (partner == NULL || attended_by(o->v[i], partner)))
			return o->v[i];
	return NULL;
}

const struct overleg *
overleg_pre_leave_held(const struct settings *cfg, const struct plan *plan, const struct overlegs *o)
{
	return overleg_pre_leave_attended(cfg, plan, o, NULL);
}

enum overleg_kind
overleg_kind_on(const struct settings *cfg, const struct plan *plan, const struct overlegs *o,
    struct date date)
{
	struct date leave = plan_date(plan, PD_LEAVE_ELIGIBLE);

	if (!in_window(cfg, leave, date))
		return OK_PERIODIC;
	/* One held there already, before or after (minutes come in any order): that was the one. */
	for (size_t i = 0; o && i < o->n; i++)
		if (held(o->v[i]) && date_cmp(o->v[i]->date, date) != 0 &&
		    in_window(cfg, leave, o->v[i]->date))
			return OK_PERIODIC;
	return OK_PRE_LEAVE;
}

const char *
due_status_word(enum overleg_due_status s)
{
	static const char *const words[] = {"planned", "due", "overdue"};

	return words[s];
}

static void
add(struct due **v, size_t *n, size_t *cap, const struct overlegs *o, struct date d,
    enum overleg_kind kind, struct date today)
{
	const struct overleg *planned = overlegs_on(o, d);
	struct due *x;

	xgrow((void **)v, cap, *n + 1, sizeof **v);
	x = &(*v)[(*n)++];
	x->date = d;
	x->kind = kind;
	if (date_cmp(d, today) < 0)
		x->status = DUE_OVERDUE;
	else if (planned && planned->status == OS_PLANNED)
		x->status = DUE_PLANNED;
	else
		x->status = DUE_DUE;
}

static int
due_cmp(const void *a, const void *b)
{
	const struct due *x = a, *y = b;
	int c = date_cmp(x->date, y->date);

	/* "periodic" before "pre-leave", as the words sort. */
	return c ? c : (int)x->kind - (int)y->kind;
}

size_t
overleg_due(const struct settings *cfg, const struct plan *plan, const struct overlegs *o,
    struct date today, struct date from, struct date until, struct due **out)
{
	struct duration cadence = cfg->cadence;
	const struct overleg *last = overlegs_last_held(o);
	struct date d, pre;
	bool pre_open = pre_leave_of(cfg, plan_date(plan, PD_LEAVE_ELIGIBLE), &pre) &&
	    overleg_pre_leave_held(cfg, plan, o) == NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!plan_open(plan))
		return 0;
	d = date_add_duration(last ? last->date : plan_date(plan, PD_DETENTION_START), cadence, 1);
	/*
	 * A date past 9999-12-31 is not a date casus can write (date_format() has four digits,
	 * and 10000-01-12 came out as 0000-01-12 on the calendar): no consultation is due there.
	 */
	if (!date_valid(d)) {
		/* nothing periodic */
	} else if (date_cmp(d, today) < 0) {
		if (!(pre_open && date_cmp(d, pre) == 0))
			add(out, &n, &cap, o, d, OK_PERIODIC, today);
	} else {
		/* At least a day a step, so a hostile cadence cannot loop for ever. */
		for (; date_valid(d) && date_cmp(d, until) <= 0; d = date_add_duration(d, cadence, 1)) {
			if (date_cmp(d, from) >= 0 && !(pre_open && date_cmp(d, pre) == 0))
				add(out, &n, &cap, o, d, OK_PERIODIC, today);
			if (cadence.n == 0)
				break;
		}
	}
	if (pre_open && (date_cmp(pre, today) < 0 ||
	    (date_cmp(pre, from) >= 0 && date_cmp(pre, until) <= 0)))
		add(out, &n, &cap, o, pre, OK_PRE_LEAVE, today);
	if (n > 1)
		qsort(*out, n, sizeof **out, due_cmp);
	return n;
}

/* Agreements. */

char *
agreement_id(const struct agreement *a)
{
	char d[11];

	return xasprintf("%s#%zu", date_format(a->overleg->date, d), a->n);
}

bool
agreement_named(const struct agreement *a, const struct overleg_close *c)
{
	return c->n == a->n && date_valid(c->made) && date_cmp(c->made, a->overleg->date) == 0;
}

size_t
overleg_agreements(const struct overlegs *o, const struct overleg *skip, struct agreement **out)
{
	size_t n = 0, cap = 0;

	*out = NULL;
	for (size_t i = 0; o && i < o->n; i++) {
		const struct overleg *ov = o->v[i];

		if (!held(ov) || ov == skip || (skip && date_cmp(ov->date, skip->date) == 0))
			continue;
		/*
		 * Closings refer to agreements of earlier consultations, listed already. The first
		 * closing counts: a later one closing it again is the one overleg_check() reports.
		 */
		for (size_t c = 0; c < ov->ncloses; c++)
			for (size_t k = 0; k < n; k++)
				if ((*out)[k].closed < 0 && agreement_named(&(*out)[k], &ov->closes[c])) {
					(*out)[k].closed = (int)ov->closes[c].status;
					(*out)[k].closed_by = ov;
				}
		for (size_t k = 0; k < ov->nagreements; k++) {
			xgrow((void **)out, &cap, n + 1, sizeof **out);
			(*out)[n++] = (struct agreement){
				.overleg = ov, .n = k + 1, .a = &ov->agreements[k], .closed = -1,
			};
		}
	}
	return n;
}

/* The check. */

static const struct plan *
case_plan(const struct case_data *cd)
{
	return cd ? cd->plan : NULL;
}

static const struct overlegs *
case_overlegs(const struct case_data *cd)
{
	return cd ? &cd->o : NULL;
}

static const struct records *
case_records(const struct case_data *cd)
{
	return cd ? &cd->rs : NULL;
}

static bool
partner_known(const struct settings *cfg, const char *partner, const char *file, int line,
    const char *path, struct problems *ps)
{
	if (partner == NULL || settings_partner(cfg, partner))
		return true;
	problems_add(ps, file, line, path, "unknown partner '%s'", partner);
	return false;
}

static bool
present_as(const struct overleg *o, const char *partner)
{
	for (size_t i = 0; i < o->npresent; i++)
		if (strcmp(o->present[i].partner, partner) == 0)
			return true;
	return false;
}

/* Whether email is on the case's team for partner (R9), as mail compares addresses. */
static bool
on_team(const struct plan *plan, const char *partner, const char *email)
{
	const struct plan_team *t = plan_team(plan, partner);

	for (size_t i = 0; t && i < t->nmembers; i++)
		if (strcasecmp(t->members[i].email, email) == 0)
			return true;
	return false;
}

/*
 * R9: who came came for a known partner, as one of its registered members, once, a member on
 * the day (settings_check_active(), the rule of every place a member is named) and on the
 * case's team: anyone else is a guest, listed under guests.
 */
static void
check_present(const struct settings *cfg, const struct plan *plan, const struct overleg *o,
    const char *file, struct problems *ps)
{
	for (size_t i = 0; i < o->npresent; i++) {
		const struct overleg_present *p = &o->present[i];
		const struct member *m;
		char *path = xasprintf("present[%zu]", i);
		size_t k;

		for (k = 0; k < i && strcasecmp(o->present[k].member, p->member) != 0; k++)
			continue;
		if (!partner_known(cfg, p->partner, file, p->partner_line, path, ps)) {
			/* reported */
		} else if ((m = settings_member(cfg, p->member)) == NULL || m->partner == NULL ||
		    strcmp(m->partner, p->partner) != 0) {
			problems_add(ps, file, p->line, path,
			    "'%s' is not a registered team member for %s", p->member, p->partner);
		} else if (k < i) {
			problems_add(ps, file, p->line, path, "'%s' is listed twice", p->member);
		} else if (!settings_check_active(cfg, p->member, o->date, file, p->line, path, ps)) {
			/* reported */
		} else if (plan && !on_team(plan, p->partner, p->member)) {
			problems_add(ps, file, p->line, path,
			    "'%s' is not on the case's team for %s: list them under guests", p->member,
			    p->partner);
		}
		free(path);
	}
}

static bool
absent_as(const struct overleg *o, const char *partner, size_t before)
{
	for (size_t i = 0; i < before && i < o->nabsent; i++)
		if (strcmp(o->absent[i].partner, partner) == 0)
			return true;
	return false;
}

/*
 * Who could not come is a partner of the case's fixed team (R9), listed once, and did not
 * also come. An absence without a reason is the form before issue 10: read, not reported.
 */
static void
check_absent(const struct plan *plan, const struct overleg *o, const char *file,
    struct problems *ps)
{
	for (size_t i = 0; i < o->nabsent; i++) {
		const struct overleg_absent *a = &o->absent[i];
		char *path = xasprintf("absent[%zu]", i);

		if (plan && !plan_has_team(plan, a->partner))
			problems_add(ps, file, a->line, path, "'%s' is not a partner of the case's fixed team",
			    a->partner);
		else if (present_as(o, a->partner))
			problems_add(ps, file, a->line, path, "'%s' is also listed as present", a->partner);
		else if (absent_as(o, a->partner, i))
			problems_add(ps, file, a->line, path, "'%s' is listed absent twice", a->partner);
		free(path);
	}
}

/*
 * R5: every partner of the case's fixed team came, or is listed absent with its reason. A team
 * partner the settings do not know is plan_check()'s to report, not the minutes'.
 */
static void
check_attendance(const struct settings *cfg, const struct plan *plan, const struct overleg *o,
    const char *file, struct problems *ps)
{
	for (size_t i = 0; plan && i < plan->nteam; i++) {
		const char *partner = plan->team[i].partner;

		if (settings_partner(cfg, partner) && !present_as(o, partner) &&
		    !absent_as(o, partner, o->nabsent))
			problems_add(ps, file, o->present_line, "present",
			    "'%s' of the case's fixed team is neither present nor listed absent", partner);
	}
}

/*
 * R7: a decision without consensus names at least one dissent, and only a partner that took
 * part can dissent. The two forms of the decisions are not mixed.
 */
static void
check_decisions(const struct settings *cfg, const struct overleg *o, const char *file,
    struct problems *ps)
{
	if (held(o) && o->ndecisions == 0)
		problems_add(ps, file, o->line, "decisions", "no decision recorded: give at least one");
	if (o->both_forms)
		problems_add(ps, file, line_of(o->doc, "decision"), "decision",
		    "give the decisions once, under 'decisions' (or 'decision', the old form of one), not both");
	for (size_t d = 0; d < o->ndecisions; d++) {
		const struct overleg_decision *dc = &o->decisions[d];

		if (!dc->consensus && dc->ndissent == 0)
			problems_add(ps, file, dc->line, dc->path,
			    "taken without consensus, but names no dissent");
		for (size_t i = 0; i < dc->ndissent; i++) {
			const struct overleg_dissent *s = &dc->dissent[i];
			char *path = xasprintf("%s.dissent[%zu].partner", dc->path, i);

			if (partner_known(cfg, s->partner, file, s->partner_line, path, ps) &&
			    !present_as(o, s->partner))
				problems_add(ps, file, s->partner_line, path,
				    "'%s' dissents but was not present", s->partner);
			free(path);
		}
	}
}

/* A guest named as a party to a sharing, by name or organisation; NULL if none (R9, R10). */
static const struct overleg_guest *
guest_named(const struct overleg *o, const char *name)
{
	for (size_t i = 0; name && i < o->nguests; i++)
		if (strcmp(o->guests[i].name, name) == 0 || strcmp(o->guests[i].organisation, name) == 0)
			return &o->guests[i];
	return NULL;
}

/* A party to a sharing: a known partner, never a guest. */
static void
check_party(const struct settings *cfg, const struct overleg *o, const char *partner,
    const char *file, int line, const char *path, struct problems *ps)
{
	if (guest_named(o, partner))
		problems_add(ps, file, line, path, "'%s' is a guest: nothing is shared with guests",
		    partner);
	else
		partner_known(cfg, partner, file, line, path, ps);
}

/*
 * R5: a closing names an agreement of an earlier held consultation that no other one closed,
 * once. An agreement's ID starts with the date it was made: a later one cannot be closed yet.
 */
static void
check_closes(const struct overlegs *all, const struct overleg *o, const char *file,
    struct problems *ps)
{
	struct agreement *ag;
	size_t n = overleg_agreements(all, o, &ag);

	for (size_t i = 0; i < o->ncloses; i++) {
		const struct overleg_close *c = &o->closes[i];
		char *path = xasprintf("closes[%zu]", i);
		size_t k, j;

		for (k = 0; k < n && !agreement_named(&ag[k], c); k++)
			continue;
		for (j = 0; j < i && !(o->closes[j].n == c->n && date_cmp(o->closes[j].made, c->made) == 0); j++)
			continue;
		if (k == n || date_cmp(ag[k].overleg->date, o->date) >= 0)
			problems_add(ps, file, c->line, path, "no agreement '%s' in an earlier consultation",
			    c->agreement);
		else if (ag[k].closed >= 0 && date_cmp(ag[k].closed_by->date, o->date) < 0)
			problems_add(ps, file, c->line, path, "agreement '%s' is %s already", c->agreement,
			    vocab_word(vocab_closings, ag[k].closed));
		else if (j < i)
			problems_add(ps, file, c->line, path, "agreement '%s' is closed twice in these minutes",
			    c->agreement);
		free(path);
	}
	free(ag);
}

/* Whether o is minutes being recorded, not one of the case's stored consultations. */
static bool
being_recorded(const struct case_data *cd, const struct overleg *o)
{
	const struct overlegs *all = case_overlegs(cd);

	for (size_t i = 0; all && i < all->n; i++)
		if (all->v[i] == o)
			return false;
	return true;
}

/* Every partner and category the consultation names is one the settings know. */
static void
check_names(const struct settings *cfg, const struct case_data *cd, const struct overleg *o,
    const char *file, struct problems *ps)
{
	char *path;

	/*
	 * The plan keeps the team as it is now, not as it was on a past day: a member replaced
	 * on the team, or a partner that joined it, would make every earlier consultation wrong
	 * by today's team. So attendance is judged against the team (R5, R9) for minutes being
	 * recorded, and a stored consultation only by what does not change with the team: each
	 * member registered and a member on the day, no one listed twice. An absent partner off
	 * the team is judged on stored ones too, as before issue 10: partners leave a case's team
	 * far more rarely than members are replaced.
	 */
	const struct plan *team = being_recorded(cd, o) ? case_plan(cd) : NULL;

	check_present(cfg, team, o, file, ps);
	check_absent(case_plan(cd), o, file, ps);
	if (held(o))
		check_attendance(cfg, team, o, file, ps);
	for (size_t i = 0; i < o->nagreements; i++) {
		path = xasprintf("agreements[%zu].owner", i);
		partner_known(cfg, o->agreements[i].owner, file, o->agreements[i].owner_line, path, ps);
		free(path);
	}
	if (case_overlegs(cd))
		check_closes(case_overlegs(cd), o, file, ps);
	check_decisions(cfg, o, file, ps);
	for (size_t i = 0; i < o->nshared; i++) {
		const struct overleg_share *s = &o->shared[i];

		path = xasprintf("shared[%zu]", i);
		check_party(cfg, o, s->from, file, s->from_line, path, ps);
		for (size_t k = 0; k < s->nto; k++)
			check_party(cfg, o, s->to[k].partner, file, s->to[k].line, path, ps);
		if (settings_category(cfg, s->category) == NULL)
			problems_add(ps, file, s->category_line, path, "unknown category '%s'", s->category);
		free(path);
	}
}

bool
overleg_after_today(struct date d)
{
	struct date today;

	/* An unusable CASUS_TODAY is the program's to report; no day is then "after today". */
	if (date_today(&today) < 0) {
		err_clear();
		return false;
	}
	return date_cmp(d, today) > 0;
}

/*
 * The consultation's date: a held one not after today, nor before detention; and its kind
 * against the plan's dates (R6).
 */
static void
check_date(const struct settings *cfg, const struct case_data *cd, const struct overleg *o,
    const char *file, struct problems *ps)
{
	const struct plan *plan = case_plan(cd);
	const struct overlegs *all = case_overlegs(cd);
	struct date start = plan_date(plan, PD_DETENTION_START);
	struct date leave = plan_date(plan, PD_LEAVE_ELIGIBLE);
	struct date first, last;
	char d[11], l[11];

	if (held(o) && overleg_after_today(o->date))
		problems_add(ps, file, o->date_line, "date", "%s is after today", date_format(o->date, d));
	if (plan == NULL)
		return;
	if (held(o) && date_valid(start) && date_cmp(o->date, start) < 0)
		problems_add(ps, file, o->date_line, "date", "before the detention start");
	/*
	 * A planned one is what overleg-schedule computed from the dates of its day: a plan
	 * changed since makes it stale, which the next schedule repairs, not wrong.
	 */
	if (!held(o) || o->kind != OK_PRE_LEAVE)
		return;
	if (!window_of(cfg, leave, &first, &last)) {
		problems_add(ps, file, o->kind_line, "kind",
		    "pre-leave, but the plan has no leave eligibility date");
		return;
	}
	if (!in_window(cfg, leave, o->date)) {
		problems_add(ps, file, o->kind_line, "kind",
		    "pre-leave, but not held in the pre-leave window (%s to %s)",
		    date_format(first, d), date_format(last, l));
		return;
	}
	for (size_t i = 0; all && i < all->n; i++)
		if (held(all->v[i]) && all->v[i]->kind == OK_PRE_LEAVE &&
		    date_cmp(all->v[i]->date, o->date) != 0 && in_window(cfg, leave, all->v[i]->date)) {
			problems_add(ps, file, o->kind_line, "kind",
			    "pre-leave, but so is the consultation of %s", date_format(all->v[i]->date, d));
			break;
		}
}

/* What share_decide() says of recipient k of sharing s, on the consultation's day. */
static void
decide(const struct settings *cfg, const struct records *rs, const struct overleg *o,
    const struct overleg_share *s, size_t k, struct share_answer *a)
{
	struct share_query q = {.from = s->from, .to = s->to[k].partner, .category = s->category,
	    .date = o->date};

	share_decide(cfg, rs, &q, a);
}

/* The ID of the record that decided, or "own" when none had to. */
static const char *
decided_by(const struct share_answer *a)
{
	return a->by ? a->by->id : "own";
}

/* R10, R11: each sharing covered on the day; a stored one names what covered it. */
static void
check_sharing(const struct settings *cfg, const struct records *rs, const struct overleg *o,
    const char *file, struct problems *ps)
{
	for (size_t i = 0; i < o->nshared; i++) {
		const struct overleg_share *s = &o->shared[i];
		char *path = xasprintf("shared[%zu]", i);

		for (size_t k = 0; k < s->nto; k++) {
			struct share_answer a;

			decide(cfg, rs, o, s, k, &a);
			if (!a.allowed)
				problems_add(ps, file, s->line, path, "%s from %s to %s has no basis: %s",
				    s->category, s->from, s->to[k].partner, a.reason);
			else if (s->covered && s->to[k].covered_by == NULL)
				problems_add(ps, file, s->covered_line, path,
				    "covered_by names no record for %s", s->to[k].partner);
			share_answer_free(&a);
		}
		free(path);
	}
}

void
overleg_check(const struct settings *cfg, const struct case_data *cd, const struct overleg *o,
    const char *file, struct problems *ps)
{
	size_t before = ps->n;

	check_names(cfg, cd, o, file, ps);
	check_date(cfg, cd, o, file, ps);
	/* share_decide() on an unknown partner or category says nothing worth reading. */
	if (ps->n == before && case_records(cd))
		check_sharing(cfg, case_records(cd), o, file, ps);
}

bool
overleg_unlawful(const struct settings *cfg, const struct case_data *cd, const struct overleg *o)
{
	struct problems names = {0}, sharing = {0};
	bool r;

	check_names(cfg, cd, o, NULL, &names);
	check_date(cfg, cd, o, NULL, &names);
	if (names.n == 0 && case_records(cd))
		check_sharing(cfg, case_records(cd), o, NULL, &sharing);
	r = names.n == 0 && sharing.n > 0;
	problems_free(&names);
	problems_free(&sharing);
	return r;
}

int
overleg_cover(const struct settings *cfg, const struct case_data *cd, struct overleg *o)
{
	const struct records *rs = case_records(cd);
	struct doc *shared = doc_get(o->doc, "shared");

	for (size_t i = 0; i < o->nshared; i++) {
		struct overleg_share *s = &o->shared[i];
		struct doc *cov = doc_new(DOC_MAP);

		for (size_t k = 0; k < s->nto; k++) {
			struct share_answer a;

			decide(cfg, rs, o, s, k, &a);
			if (!a.allowed) {
				share_answer_free(&a);
				doc_free(cov);
				err_set("cannot record the consultation of %s: %s from %s to %s has no basis",
				    o->case_id, s->category, s->from, s->to[k].partner);
				return -1;
			}
			doc_set(cov, s->to[k].partner, doc_new_str(decided_by(&a)));
			share_answer_free(&a);
		}
		doc_set(shared->items[i], "covered_by", cov);
		s->covered = true;
		for (size_t k = 0; k < s->nto; k++)
			s->to[k].covered_by = doc_get_str(cov, s->to[k].partner);
	}
	return 0;
}

/*
 * consent.c: the records that lift professional secrecy between partners, and the decision
 * they make. Privacy by default: without a record that covers the sharing, the answer is no,
 * and a refusal outweighs a consent given on the same day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseid.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"
#include "vocab.h"

const char *const consent_purposes[] = {"casusoverleg", "reintegration", "aftercare", NULL};
const char *const basis_purposes[] = {"integrity", "terrorism", "criminal-organisation", NULL};

static struct date
rdate(const struct doc *rec, const char *key)
{
	const struct doc *v = doc_get(rec, key);
	struct date d = {0, 0, 0};

	if (v && v->type == DOC_STR)
		date_parse(v->s, v->len, &d);
	return d;
}

static int
by_date(const void *a, const void *b)
{
	const struct doc *x = *(const struct doc *const *)a, *y = *(const struct doc *const *)b;
	int c = date_cmp(rdate(x, "date"), rdate(y, "date"));

	return c ? c : strcmp(doc_get_str(x, "id"), doc_get_str(y, "id"));
}

int
records_read(const struct view *v, const char *case_id, struct records *out)
{
	if (case_events_read(v, case_id, "consent", "consent", "id", &out->v, &out->n) < 0)
		return -1;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_date);
	return 0;
}

void
records_free(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		doc_free(r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

const struct doc *
records_find(const struct records *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(doc_get_str(r->v[i], "id"), id) == 0)
			return r->v[i];
	return NULL;
}

const struct doc *
records_withdrawal(const struct records *r, const char *id, const struct date *date)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *w = doc_get_str(r->v[i], "withdraws");

		if (w && strcmp(w, id) == 0 && (date == NULL || date_cmp(rdate(r->v[i], "date"), *date) <= 0))
			return r->v[i];
	}
	return NULL;
}

static bool
has(const struct doc *rec, const char *key, const char *value)
{
	const struct doc *l = doc_get(rec, key);

	for (size_t i = 0; l && l->type == DOC_SEQ && i < l->n; i++)
		if (l->items[i]->type == DOC_STR && strcmp(l->items[i]->s, value) == 0)
			return true;
	return false;
}

static bool
kind_is(const struct doc *rec, const char *kind)
{
	return strcmp(doc_get_str(rec, "kind"), kind) == 0;
}

/* How a record matches the query: what it names, leaving dates aside. */
enum { M_TO = 1, M_CAT = 2, M_PURPOSE = 4, M_ALL = 7 };

/*
 * A consent covers one purpose; the default is the case consultation. A basis is itself a
 * consultation under art. 458ter, so it covers the case consultation and its own purpose.
 */
static int
match(const struct doc *rec, const struct share_query *q)
{
	const char *purpose = doc_get_str(rec, "purpose");
	const char *asked = q->purpose ? q->purpose : "casusoverleg";
	int m = 0;

	if (kind_is(rec, "basis")) {
		m |= has(rec, "participants", q->from) && has(rec, "participants", q->to) ? M_TO : 0;
		m |= strcmp(asked, "casusoverleg") == 0 || strcmp(purpose, asked) == 0 ? M_PURPOSE : 0;
	} else {
		m |= has(rec, "to", q->to) ? M_TO : 0;
		m |= strcmp(purpose, asked) == 0 ? M_PURPOSE : 0;
	}
	m |= has(rec, "categories", q->category) ? M_CAT : 0;
	return m;
}

static int
bits(int m)
{
	return (m & M_TO ? 1 : 0) + (m & M_CAT ? 1 : 0) + (m & M_PURPOSE ? 1 : 0);
}

static bool
started(const struct doc *rec, struct date on)
{
	return date_cmp(rdate(rec, "date"), on) <= 0;
}

static bool
ended(const struct doc *rec, struct date on)
{
	return doc_get(rec, "until") != NULL && date_cmp(on, rdate(rec, "until")) > 0;
}

static bool
shares_under_458ter(const struct settings *cfg, const char *partner)
{
	const struct partner_cfg *p = settings_partner(cfg, partner);

	return p && p->shares_under_458ter;
}

static const char *
id_of(const struct doc *rec)
{
	return doc_get_str(rec, "id");
}

static const char *
what(const struct doc *rec)
{
	return kind_is(rec, "basis") ? "art. 458ter basis" : "consent";
}

static void
why_partial(const struct doc *rec, int m, const struct share_query *q, struct share_answer *a)
{
	a->by = rec;
	if (!(m & M_TO) && kind_is(rec, "basis"))
		snprintf(a->reason, sizeof a->reason, "%s %s does not name both %s and %s as participants",
		    what(rec), id_of(rec), q->from, q->to);
	else if (!(m & M_TO))
		snprintf(a->reason, sizeof a->reason, "%s %s does not name %s as a recipient", what(rec),
		    id_of(rec), q->to);
	else if (!(m & M_CAT))
		snprintf(a->reason, sizeof a->reason, "%s %s does not cover category %s", what(rec),
		    id_of(rec), q->category);
	else
		snprintf(a->reason, sizeof a->reason, "%s %s is for purpose %s, not %s", what(rec),
		    id_of(rec), doc_get_str(rec, "purpose"), q->purpose ? q->purpose : "casusoverleg");
}

/* Says why a record that covered the sharing no longer does on the day. */
static void
why_lapsed(const struct records *r, const struct doc *rec, const struct share_query *q,
    struct share_answer *a)
{
	const struct doc *w = records_withdrawal(r, id_of(rec), &q->date);
	char d[11];

	a->by = rec;
	if (w)
		snprintf(a->reason, sizeof a->reason, "%s %s was withdrawn on %s (%s)", what(rec),
		    id_of(rec), doc_get_str(w, "date"), id_of(w));
	else
		snprintf(a->reason, sizeof a->reason, "%s %s expired on %s", what(rec), id_of(rec),
		    date_format(date_add_days(rdate(rec, "until"), 1), d));
}

void
share_decide(const struct settings *cfg, const struct records *r, const struct share_query *q,
    struct share_answer *a)
{
	const struct doc *consent = NULL, *refusal = NULL, *basis = NULL, *lapsed = NULL;
	const struct doc *future = NULL, *nobasis = NULL, *partial = NULL;
	int partial_m = 0;
	char d[11];

	memset(a, 0, sizeof *a);
	if (strcmp(q->from, q->to) == 0) {
		a->allowed = true;
		snprintf(a->reason, sizeof a->reason, "own information: %s holds it", q->from);
		return;
	}
	/* Records are sorted by date, so a later one of a kind replaces an earlier one. */
	for (size_t i = 0; i < r->n; i++) {
		const struct doc *rec = r->v[i];
		bool live;
		int m;

		if (kind_is(rec, "withdrawal"))
			continue;
		m = match(rec, q);
		live = started(rec, q->date) && !ended(rec, q->date) &&
		    records_withdrawal(r, id_of(rec), &q->date) == NULL;
		if (m != M_ALL) {
			/*
			 * The record in force that comes closest tells what is missing, if it names the
			 * recipient or the category: one that shares only a purpose explains nothing.
			 */
			if (live && !kind_is(rec, "refusal") && (m & (M_TO | M_CAT)) && bits(m) >= bits(partial_m)) {
				partial = rec;
				partial_m = m;
			}
		} else if (kind_is(rec, "refusal")) {
			if (started(rec, q->date))
				refusal = rec;
		} else if (!started(rec, q->date)) {
			future = future ? future : rec;
		} else if (!live) {
			lapsed = rec;
		} else if (kind_is(rec, "consent")) {
			consent = rec;
		} else if (shares_under_458ter(cfg, q->from)) {
			basis = basis ? basis : rec;
		} else {
			nobasis = rec;
		}
	}
	/* A refusal dated on or after the latest consent in force outweighs it. */
	if (consent && !(refusal && date_cmp(rdate(refusal, "date"), rdate(consent, "date")) >= 0)) {
		a->allowed = true;
		a->by = consent;
		snprintf(a->reason, sizeof a->reason, "consent %s given %s (%s) for %s%s%s", id_of(consent),
		    doc_get_str(consent, "date"), doc_get_str(consent, "how"), doc_get_str(consent, "purpose"),
		    doc_get(consent, "until") ? ", until " : "",
		    doc_get(consent, "until") ? doc_get_str(consent, "until") : "");
		return;
	}
	if (basis) {
		a->allowed = true;
		a->by = basis;
		snprintf(a->reason, sizeof a->reason, "art. 458ter basis %s (%s) for %s, valid from %s%s%s",
		    id_of(basis), doc_get_str(basis, "basis"), doc_get_str(basis, "purpose"),
		    doc_get_str(basis, "date"), doc_get(basis, "until") ? ", until " : "",
		    doc_get(basis, "until") ? doc_get_str(basis, "until") : "");
		return;
	}
	if (refusal) {
		a->by = refusal;
		snprintf(a->reason, sizeof a->reason, "refused on %s (%s)", doc_get_str(refusal, "date"),
		    id_of(refusal));
	} else if (lapsed) {
		why_lapsed(r, lapsed, q, a);
	} else if (nobasis) {
		a->by = nobasis;
		snprintf(a->reason, sizeof a->reason,
		    "%s does not share under art. 458ter (partners.%s.shares_under_458ter is false), so basis %s does not cover it",
		    q->from, q->from, id_of(nobasis));
	} else if (future) {
		a->by = future;
		snprintf(a->reason, sizeof a->reason, "nothing covers it on %s: %s %s holds from %s",
		    date_format(q->date, d), what(future), id_of(future), doc_get_str(future, "date"));
	} else if (partial) {
		why_partial(partial, partial_m, q, a);
	} else {
		snprintf(a->reason, sizeof a->reason,
		    "no consent or legal basis covers %s from %s to %s on %s", q->category, q->from,
		    q->to, date_format(q->date, d));
	}
}

/* The information category of a life domain (settings_domain_category()), or NULL. */
static const char *
domain_category(const struct settings *cfg, const char *domain)
{
	const struct category_cfg *c = settings_domain_category(cfg, vocab_find(vocab_domains, domain));

	return c ? c->id : NULL;
}

/* Withholds field of item if partner may not see it; returns 1 if withheld. */
static size_t
withhold(struct doc *item, const char *field, const char *owner, const char *category,
    const struct settings *cfg, const struct records *r, const char *partner, struct date on)
{
	struct share_query q = {.from = owner, .to = partner, .category = category, .date = on};
	struct share_answer a;
	char *marker;

	if (doc_get(item, field) == NULL)
		return 0;
	if (owner == NULL)
		snprintf(a.reason, sizeof a.reason, "no partner is recorded as holding it");
	else if (category == NULL)
		snprintf(a.reason, sizeof a.reason, "no information category is set for it in casus.yaml");
	else {
		share_decide(cfg, r, &q, &a);
		if (a.allowed)
			return 0;
	}
	marker = xasprintf("[withheld: %s]", a.reason);
	doc_set(item, field, doc_new_str(marker));
	doc_set(item, "withheld", doc_new_str(a.reason));
	free(marker);
	return 1;
}

size_t
plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	struct doc *domains = doc_get(plan, "domains");
	size_t n = 0;

	for (size_t i = 0; domains && domains->type == DOC_MAP && i < domains->n; i++) {
		struct doc *dom = domains->pairs[i].val;
		struct doc *goals = doc_get(dom, "goals");
		const char *cat = domain_category(cfg, domains->pairs[i].key);

		n += withhold(dom, "note", doc_get_str(dom, "owner"), cat, cfg, r, partner, on);
		for (size_t g = 0; goals && goals->type == DOC_SEQ && g < goals->n; g++) {
			struct doc *goal = goals->items[g];
			struct doc *actions = doc_get(goal, "actions");

			n += withhold(goal, "text", doc_get_str(goal, "owner"), cat, cfg, r, partner, on);
			for (size_t k = 0; actions && actions->type == DOC_SEQ && k < actions->n; k++)
				n += withhold(actions->items[k], "text", doc_get_str(actions->items[k], "owner"),
				    cat, cfg, r, partner, on);
		}
	}
	return n;
}

size_t
reintegration_withhold(struct doc *r, const struct settings *cfg, const struct records *rs,
    const char *partner, struct date on)
{
	static const char *const areas[] = {"housing", "work", "network", "care", NULL};
	const char *cat = settings_category(cfg, "reintegration") ? "reintegration" : NULL;
	size_t n = 0;

	for (int i = 0; areas[i]; i++) {
		struct doc *a = doc_get(r, areas[i]);

		if (a)
			n += withhold(a, "note", doc_get_str(a, "owner"), cat, cfg, rs, partner, on);
	}
	return n;
}

/* The names in the list field key of d that cfg does not know, by ok. */
static void
known(const struct settings *cfg, const struct doc *d, const char *key, bool partner,
    const char *file, struct problems *ps)
{
	const struct doc *l = doc_get(d, key);

	for (size_t i = 0; l && l->type == DOC_SEQ && i < l->n; i++) {
		const char *s = l->items[i]->type == DOC_STR ? l->items[i]->s : NULL;

		if (s && (partner ? settings_partner(cfg, s) == NULL : settings_category(cfg, s) == NULL))
			problems_add(ps, file, l->items[i]->line, key, "unknown %s '%s'",
			    partner ? "partner" : "category", s);
	}
}

void
consent_check(const struct settings *cfg, const struct doc *d, const char *file, struct problems *ps)
{
	known(cfg, d, "to", true, file, ps);
	known(cfg, d, "participants", true, file, ps);
	known(cfg, d, "categories", false, file, ps);
}

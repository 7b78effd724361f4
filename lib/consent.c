/*
 * consent.c: the records that lift professional secrecy between partners, the one check of
 * what their schema cannot say, and the decision they make. Privacy by default: without a
 * record that covers the sharing, the answer is no, and a refusal outweighs a consent given on
 * the same day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "caseid.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"

/* Decoding: doc_get() on a record stays in here. */

static const char *
str_of(const struct doc *rec, const char *key, int *line)
{
	const struct doc *v = doc_get(rec, key);

	if (v == NULL || v->type != DOC_STR)
		return NULL;
	if (line)
		*line = v->line;
	return v->s;
}

/* A date field: 0 with *out ({0} when absent), or -1 if it is there but not a date. */
static int
date_of(const struct doc *rec, const char *key, struct date *out, int *line)
{
	const struct doc *v = doc_get(rec, key);

	*out = (struct date){0, 0, 0};
	if (v == NULL)
		return 0;
	if (line)
		*line = v->line;
	return v->type == DOC_STR && date_parse(v->s, v->len, out) == 0 ? 0 : -1;
}

/* A word of table t: its index, t's size when absent, or -1 if it is not one of t's words. */
static int
word_of(const struct doc *rec, const char *key, const struct vocab *t)
{
	const struct doc *v = doc_get(rec, key);

	if (v == NULL)
		return (int)vocab_count(t);
	return v->type == DOC_STR ? vocab_find(t, v->s) : -1;
}

static int
names_of(const struct doc *rec, const char *key, struct consent_name **out, size_t *n)
{
	const struct doc *l = doc_get(rec, key);

	*out = NULL;
	*n = 0;
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return -1;
	*out = xcalloc(l->n ? l->n : 1, sizeof **out);
	for (size_t i = 0; i < l->n; i++) {
		if (l->items[i]->type != DOC_STR)
			return -1;
		(*out)[i].name = l->items[i]->s;
		(*out)[i].line = l->items[i]->line;
		*n = i + 1;
	}
	return 0;
}

struct consent_record *
consent_decode(struct doc *d)
{
	struct consent_record *rec = xcalloc(1, sizeof *rec);
	const char *bad = NULL;
	int k;

	rec->doc = d;
	rec->line = d ? d->line : 0;
	rec->id = str_of(d, "id", &rec->id_line);
	rec->case_id = str_of(d, "case_id", &rec->case_id_line);
	rec->recorded_by = str_of(d, "recorded_by", NULL);
	rec->evidence = str_of(d, "evidence", NULL);
	rec->withdraws = str_of(d, "withdraws", &rec->withdraws_line);
	rec->reference = str_of(d, "reference", NULL);
	rec->told = str_of(d, "told", NULL);
	rec->language = str_of(d, "language", NULL);
	rec->informed = doc_get(d, "informed") && doc_get(d, "informed")->type == DOC_BOOL &&
	    doc_get(d, "informed")->b;
	k = word_of(d, "kind", vocab_record_kinds);
	rec->kind = k < 0 || k == RK_N ? RK_N : (enum record_kind)k;
	k = word_of(d, "how", vocab_how);
	rec->how = k < 0 ? HOW_N : (enum consent_how)k;
	k = word_of(d, "basis", vocab_basis_kinds);
	rec->basis = k < 0 ? BASIS_N : (enum basis_kind)k;
	rec->purpose = PURPOSE_N;
	rec->basis_purpose = BP_N;
	if (rec->id == NULL)
		bad = "id";
	else if (rec->case_id == NULL)
		bad = "case_id";
	else if (rec->kind == RK_N)
		bad = "kind";
	else if (date_of(d, "date", &rec->date, &rec->date_line) < 0 || !date_valid(rec->date))
		bad = "date";
	else if (date_of(d, "recorded", &rec->recorded, NULL) < 0 || !date_valid(rec->recorded))
		bad = "recorded";
	else if (date_of(d, "until", &rec->until, &rec->until_line) < 0)
		bad = "until";
	else if (names_of(d, "from", &rec->from, &rec->nfrom) < 0)
		bad = "from";
	else if (names_of(d, "to", &rec->to, &rec->nto) < 0)
		bad = "to";
	else if (names_of(d, "participants", &rec->participants, &rec->nparticipants) < 0)
		bad = "participants";
	else if (names_of(d, "categories", &rec->categories, &rec->ncategories) < 0)
		bad = "categories";
	else if (rec->kind == RK_WITHDRAWAL && rec->withdraws == NULL)
		bad = "withdraws";
	else if (rec->kind != RK_WITHDRAWAL && rec->ncategories == 0)
		bad = "categories";
	else if (rec->kind == RK_BASIS && (rec->basis == BASIS_N || rec->nparticipants == 0))
		bad = "basis";
	else if ((rec->kind == RK_CONSENT || rec->kind == RK_REFUSAL) && rec->nto == 0)
		bad = "to";
	/* The schema ties the purposes to the kind; the table says which. */
	if (bad == NULL && rec->kind != RK_WITHDRAWAL) {
		k = word_of(d, "purpose", consent_purposes_for(rec->kind));
		if (k < 0 || (size_t)k == vocab_count(consent_purposes_for(rec->kind)))
			bad = "purpose";
		else if (rec->kind == RK_BASIS)
			rec->basis_purpose = (enum basis_purpose)k;
		else
			rec->purpose = (enum purpose)k;
	}
	if (bad) {
		err_set("cannot read record '%s': %s is not as the schema says", rec->id ? rec->id : "?", bad);
		consent_free(rec);
		return NULL;
	}
	return rec;
}

void
consent_free(struct consent_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->from);
	free(rec->to);
	free(rec->participants);
	free(rec->categories);
	doc_free(rec->doc);
	free(rec);
}

char
consent_id_letter(enum record_kind k)
{
	static const char letters[RK_N] = {[RK_CONSENT] = 'c', [RK_REFUSAL] = 'r',
	    [RK_WITHDRAWAL] = 'w', [RK_BASIS] = 'b'};

	return letters[k];
}

int
consent_id_kind(const char *id)
{
	if (id == NULL || strlen(id) != 17 || id[1] != '-' || id[10] != '-')
		return -1;
	for (int i = 2; i < 10; i++)
		if (id[i] < '0' || id[i] > '9')
			return -1;
	for (int i = 11; i < 17; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return -1;
	for (int k = 0; k < RK_N; k++)
		if (id[0] == consent_id_letter((enum record_kind)k))
			return k;
	return -1;
}

const struct vocab *
consent_purposes_for(enum record_kind k)
{
	return k == RK_BASIS ? vocab_basis_purposes : k == RK_WITHDRAWAL ? NULL : vocab_purposes;
}

const char *
consent_purpose_word(const struct consent_record *rec)
{
	if (rec->kind == RK_BASIS)
		return vocab_word(vocab_basis_purposes, rec->basis_purpose);
	if (rec->kind == RK_WITHDRAWAL)
		return NULL;
	return vocab_word(vocab_purposes, rec->purpose);
}

/* The list of a case's records. */

static int
by_date(const void *a, const void *b)
{
	const struct consent_record *x = *(const struct consent_record *const *)a;
	const struct consent_record *y = *(const struct consent_record *const *)b;
	int c = date_cmp(x->date, y->date);

	return c ? c : strcmp(x->id, y->id);
}

int
records_read(const struct view *v, const char *case_id, struct records *out)
{
	struct doc **docs;
	size_t n;

	out->v = NULL;
	out->n = 0;
	if (case_events_read(v, case_id, "consent", "consent", "id", &docs, &n) < 0)
		return -1;
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		struct consent_record *rec = consent_decode(docs[i]);

		docs[i] = NULL;
		if (rec == NULL) {
			for (size_t j = i + 1; j < n; j++)
				doc_free(docs[j]);
			free(docs);
			records_free(out);
			return -1;
		}
		out->v[out->n++] = rec;
	}
	free(docs);
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_date);
	return 0;
}

void
records_free(struct records *r)
{
	for (size_t i = 0; i < r->n; i++)
		consent_free(r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

void
records_add(struct records *r, struct consent_record *rec)
{
	size_t i = r->n;

	r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
	while (i > 0 && by_date(&r->v[i - 1], &rec) > 0) {
		r->v[i] = r->v[i - 1];
		i--;
	}
	r->v[i] = rec;
	r->n++;
}

const struct consent_record *
records_find(const struct records *r, const char *id)
{
	for (size_t i = 0; r && id && i < r->n; i++)
		if (strcmp(r->v[i]->id, id) == 0)
			return r->v[i];
	return NULL;
}

const struct consent_record *
records_withdrawal(const struct records *r, const char *id, const struct date *date)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const struct consent_record *w = r->v[i];

		if (w->kind == RK_WITHDRAWAL && strcmp(w->withdraws, id) == 0 &&
		    (date == NULL || date_cmp(w->date, *date) <= 0))
			return w;
	}
	return NULL;
}

/*
 * The check: one function per rule that consent-record refuses and the schema cannot say,
 * each appending its problem (R10, R11).
 */

/* The partners and categories a record names are the store's (R9: a partner is in casus.yaml). */
static void
check_names(const struct settings *cfg, const struct consent_record *rec, const char *file,
    struct problems *ps)
{
	for (size_t i = 0; i < rec->nfrom; i++)
		settings_check_partner(cfg, rec->from[i].name, file, rec->from[i].line, "from", ps);
	for (size_t i = 0; i < rec->nto; i++)
		settings_check_partner(cfg, rec->to[i].name, file, rec->to[i].line, "to", ps);
	for (size_t i = 0; i < rec->nparticipants; i++)
		settings_check_partner(cfg, rec->participants[i].name, file, rec->participants[i].line,
		    "participants", ps);
	for (size_t i = 0; i < rec->ncategories; i++)
		settings_check_category(cfg, rec->categories[i].name, file, rec->categories[i].line,
		    "categories", ps);
}

/* The ID's letter says the kind: a withdrawal names what it ends by that letter alone. */
static void
check_id(const struct consent_record *rec, const char *case_id, const char *file,
    struct problems *ps)
{
	if (consent_id_kind(rec->id) != (int)rec->kind)
		problems_add(ps, file, rec->id_line, "id", "a %s's ID starts with '%c-'",
		    vocab_label(vocab_record_kinds, rec->kind), consent_id_letter(rec->kind));
	if (case_id && strcmp(rec->case_id, case_id) != 0)
		problems_add(ps, file, rec->case_id_line, "case_id", "is '%s' but the case is '%s'",
		    rec->case_id, case_id);
}

/*
 * What the detainee said is recorded once it was said: a consent, refusal or withdrawal is not
 * dated after the day it was recorded. A basis may take effect later, as its permission says.
 */
static void
check_dates(const struct consent_record *rec, const char *file, struct problems *ps)
{
	char d[11], r[11];

	if (rec->kind != RK_BASIS && date_cmp(rec->date, rec->recorded) > 0)
		problems_add(ps, file, rec->date_line, "date", "%s is after the day it was recorded (%s)",
		    date_format(rec->date, d), date_format(rec->recorded, r));
	if (date_valid(rec->until) && date_cmp(rec->until, rec->date) < 0)
		problems_add(ps, file, rec->until_line, "until", "%s is before the date it holds from (%s)",
		    date_format(rec->until, d), date_format(rec->date, r));
}

/* The index of rec in r (by ID), or r->n when it is not there yet. */
static size_t
place_of(const struct records *r, const struct consent_record *rec)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i] == rec || strcmp(r->v[i]->id, rec->id) == 0)
			return i;
	return r->n;
}

/*
 * A withdrawal ends a consent or a legal basis of the same case (a refusal is not withdrawn:
 * a new consent takes its place), from a day on or after the one it took effect, once.
 */
static void
check_withdrawal(const struct consent_record *rec, const char *case_id, const struct records *r,
    const char *file, struct problems *ps)
{
	int k = consent_id_kind(rec->withdraws);
	const char *what = k == RK_BASIS ? "legal basis" : "consent";
	const struct consent_record *c = records_find(r, rec->withdraws);
	size_t me = place_of(r, rec);
	char d[11], e[11];

	if (c == NULL || (c->kind != RK_CONSENT && c->kind != RK_BASIS)) {
		problems_add(ps, file, rec->withdraws_line, "withdraws", "case '%s' has no %s '%s'",
		    case_id ? case_id : rec->case_id, what, rec->withdraws);
		return;
	}
	what = c->kind == RK_BASIS ? "legal basis" : "consent";
	for (size_t i = 0; i < me; i++) {
		const struct consent_record *w = r->v[i];

		if (w->kind == RK_WITHDRAWAL && w != rec && strcmp(w->withdraws, rec->withdraws) == 0) {
			problems_add(ps, file, rec->withdraws_line, "withdraws",
			    "%s '%s' was withdrawn already (%s)", what, rec->withdraws, w->id);
			return;
		}
	}
	if (date_cmp(rec->date, c->date) < 0)
		problems_add(ps, file, rec->withdraws_line, "withdraws",
		    "%s is before the %s took effect (%s)", date_format(rec->date, d), what,
		    date_format(c->date, e));
}

void
consent_check(const struct settings *cfg, const struct case_data *cd,
    const struct consent_record *rec, const char *file, struct problems *ps)
{
	const char *case_id = cd ? cd->id : NULL;

	if (cfg != NULL)
		check_names(cfg, rec, file, ps);
	check_id(rec, case_id, file, ps);
	check_dates(rec, file, ps);
	if (rec->kind == RK_WITHDRAWAL && cd)
		check_withdrawal(rec, case_id, &cd->rs, file, ps);
}

/* The status of a record on a day. */

static bool
names(const struct consent_name *l, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i].name, name) == 0)
			return true;
	return false;
}

/* Every name of sub is in l. */
static bool
names_all(const struct consent_name *l, size_t n, const struct consent_name *sub, size_t nsub)
{
	for (size_t i = 0; i < nsub; i++)
		if (!names(l, n, sub[i].name))
			return false;
	return true;
}

/* Some name of sub is in l. */
static bool
names_any(const struct consent_name *l, size_t n, const struct consent_name *sub, size_t nsub)
{
	for (size_t i = 0; i < nsub; i++)
		if (names(l, n, sub[i].name))
			return true;
	return false;
}

const char *
consent_no_basis(const struct consent_record *rec)
{
	if (rec->kind != RK_CONSENT)
		return NULL;
	/*
	 * Stored before consents named whose information they cover: what the detainee agreed to
	 * can no longer be told, so it covers no one's rather than everyone's.
	 */
	if (rec->nfrom == 0)
		return "names no partner whose information it covers";
	if (!rec->informed)
		return "given without being informed";
	return NULL;
}

/* The time alone: not yet, withdrawn, expired, or in force. */
static enum consent_status
dated_status(const struct records *r, const struct consent_record *rec, struct date on,
    const struct consent_record **withdrawal)
{
	*withdrawal = NULL;
	if (date_cmp(rec->date, on) > 0)
		return CS_NOT_YET;
	if (rec->kind != RK_WITHDRAWAL && (*withdrawal = records_withdrawal(r, rec->id, &on)) != NULL)
		return CS_WITHDRAWN;    /* a consent or a basis can be withdrawn: both end the same way */
	if (date_valid(rec->until) && date_cmp(on, rec->until) > 0)
		return CS_EXPIRED;
	return CS_IN_FORCE;
}

/*
 * The latest consent in force and a basis on day on, dated after refusal ref and for its
 * purpose, that covers all of it (full) or, when none does, some of it: a partner it names as
 * recipient, a category, and (a refusal without from covering everyone's) a partner whose
 * information it covers. share_decide() lets such a consent outweigh the refusal for what both
 * name; NULL when none does.
 */
static const struct consent_record *
outweighing(const struct records *r, const struct consent_record *ref, struct date on, bool *full)
{
	const struct consent_record *part = NULL, *w;

	*full = false;
	for (size_t i = r->n; i-- > 0;) {
		const struct consent_record *c = r->v[i];
		bool from_all, from_any;

		if (c->kind != RK_CONSENT || date_cmp(c->date, ref->date) <= 0 ||
		    c->purpose != ref->purpose || dated_status(r, c, on, &w) != CS_IN_FORCE ||
		    consent_no_basis(c) != NULL)
			continue;
		from_all = ref->nfrom > 0 && names_all(c->from, c->nfrom, ref->from, ref->nfrom);
		from_any = ref->nfrom == 0 || names_any(c->from, c->nfrom, ref->from, ref->nfrom);
		if (from_all && names_all(c->to, c->nto, ref->to, ref->nto) &&
		    names_all(c->categories, c->ncategories, ref->categories, ref->ncategories)) {
			*full = true;
			return c;
		}
		if (part == NULL && from_any && names_any(c->to, c->nto, ref->to, ref->nto) &&
		    names_any(c->categories, c->ncategories, ref->categories, ref->ncategories))
			part = c;
	}
	return part;
}

enum consent_status
consent_status(const struct records *r, const struct consent_record *rec, struct date on,
    const struct consent_record **by)
{
	const struct consent_record *w = NULL, *c;
	enum consent_status st = dated_status(r, rec, on, &w);
	bool full;

	if (st == CS_IN_FORCE && consent_no_basis(rec) != NULL)
		st = CS_NO_BASIS;
	else if (st == CS_IN_FORCE && rec->kind == RK_REFUSAL &&
	    (c = outweighing(r, rec, on, &full)) != NULL && full) {
		st = CS_OUTWEIGHED;
		w = c;
	}
	if (by)
		*by = w;
	return st;
}

char *
consent_status_text(const struct records *r, const struct consent_record *rec, struct date on)
{
	const struct consent_record *w;
	char d[11];
	bool full;

	switch (consent_status(r, rec, on, &w)) {
	case CS_NOT_YET:
		return xstrdup(rec->kind == RK_WITHDRAWAL ? "not yet effective" : "not yet in force");
	case CS_WITHDRAWN:
		return xasprintf("withdrawn on %s", date_format(w->date, d));
	case CS_EXPIRED:
		return xstrdup("expired");
	case CS_NO_BASIS:
		return xasprintf("no basis: %s", consent_no_basis(rec));
	case CS_OUTWEIGHED:
		return xasprintf("outweighed by %s", w->id);
	case CS_IN_FORCE:
		break;
	}
	if (rec->kind == RK_REFUSAL && (w = outweighing(r, rec, on, &full)) != NULL)
		return xasprintf("in force, outweighed in part by %s", w->id);
	return xstrdup(rec->kind == RK_WITHDRAWAL ? "effective" : "in force");
}

/* The decision. */

static const char *
query_purpose(const struct share_query *q)
{
	return q->basis ? vocab_word(vocab_basis_purposes, q->basis_purpose)
	    : vocab_word(vocab_purposes, q->purpose);
}

/* How a record matches the query: what it names, leaving dates aside. */
enum { M_TO = 1, M_CAT = 2, M_PURPOSE = 4, M_FROM = 8, M_ALL = 15 };

/*
 * A consent covers one purpose; the default is the case consultation. A basis is itself a
 * consultation under art. 458ter, so it covers the case consultation and its own purpose.
 */
static int
match(const struct consent_record *rec, const struct share_query *q)
{
	int m = 0;

	if (rec->kind == RK_BASIS) {
		m |= names(rec->participants, rec->nparticipants, q->from) &&
		    names(rec->participants, rec->nparticipants, q->to) ? M_TO : 0;
		m |= (!q->basis && q->purpose == PURPOSE_CASUSOVERLEG) ||
		    (q->basis && rec->basis_purpose == q->basis_purpose) ? M_PURPOSE : 0;
	} else {
		m |= names(rec->to, rec->nto, q->to) ? M_TO : 0;
		m |= !q->basis && rec->purpose == q->purpose ? M_PURPOSE : 0;
		/* R10: whose information; a refusal stored without from refuses everyone's. */
		m |= names(rec->from, rec->nfrom, q->from) ||
		    (rec->kind == RK_REFUSAL && rec->nfrom == 0) ? M_FROM : 0;
	}
	if (rec->kind == RK_BASIS)
		m |= M_FROM;    /* a basis names whose information by its participants (M_TO) */
	m |= names(rec->categories, rec->ncategories, q->category) ? M_CAT : 0;
	return m;
}

static int
bits(int m)
{
	return (m & M_TO ? 1 : 0) + (m & M_CAT ? 1 : 0) + (m & M_PURPOSE ? 1 : 0) +
	    (m & M_FROM ? 1 : 0);
}

static const char *
what(const struct consent_record *rec)
{
	return rec->kind == RK_BASIS ? "art. 458ter basis" : "consent";
}

/* ", until DATE" when rec ends, else "". */
static const char *
until_text(const struct consent_record *rec, char buf[20])
{
	char d[11];

	buf[0] = '\0';
	if (date_valid(rec->until))
		snprintf(buf, 20, ", until %s", date_format(rec->until, d));
	return buf;
}

static void
why_partial(const struct consent_record *rec, int m, const struct share_query *q,
    struct share_answer *a)
{
	a->by = rec;
	if (rec->kind == RK_CONSENT && rec->nfrom == 0)
		a->reason = xasprintf("consent %s does not say whose information it covers (it was recorded"
		    " before consents named it), so it covers no one's: record it again with --from",
		    rec->id);
	else if (!(m & M_TO) && rec->kind == RK_BASIS) {
		/* R11: the sender and the recipient must both take part; say who does not. */
		bool f = names(rec->participants, rec->nparticipants, q->from);
		bool t = names(rec->participants, rec->nparticipants, q->to);

		if (!f && !t)
			a->reason = xasprintf("%s %s names neither %s nor %s as a participant", what(rec),
			    rec->id, q->from, q->to);
		else
			a->reason = xasprintf("%s %s does not name %s (the %s) as a participant", what(rec),
			    rec->id, f ? q->to : q->from, f ? "recipient" : "sender");
	} else if (!(m & M_TO))
		a->reason = xasprintf("%s %s does not name %s as a recipient", what(rec), rec->id, q->to);
	else if (!(m & M_FROM))
		a->reason = xasprintf("%s %s does not cover information held by %s", what(rec), rec->id,
		    q->from);
	else if (!(m & M_CAT))
		a->reason = xasprintf("%s %s does not cover category %s", what(rec), rec->id, q->category);
	else
		a->reason = xasprintf("%s %s is for purpose %s, not %s", what(rec), rec->id,
		    consent_purpose_word(rec), query_purpose(q));
}

/* Says why a record that covered the sharing no longer does on the day. */
static void
why_lapsed(const struct records *r, const struct consent_record *rec, const struct share_query *q,
    struct share_answer *a)
{
	const struct consent_record *w;
	char d[11];

	a->by = rec;
	if (consent_status(r, rec, q->date, &w) == CS_WITHDRAWN)
		a->reason = xasprintf("%s %s was withdrawn on %s (%s)", what(rec), rec->id,
		    date_format(w->date, d), w->id);
	else
		a->reason = xasprintf("%s %s expired on %s", what(rec), rec->id,
		    date_format(date_add_days(rec->until, 1), d));
}

void
share_decide(const struct settings *cfg, const struct records *r, const struct share_query *q,
    struct share_answer *a)
{
	const struct consent_record *consent = NULL, *refusal = NULL, *basis = NULL, *lapsed = NULL;
	const struct consent_record *future = NULL, *nobasis = NULL, *partial = NULL;
	const struct consent_record *uninformed = NULL;
	int partial_m = 0;
	char d[11], u[20];

	memset(a, 0, sizeof *a);
	if (strcmp(q->from, q->to) == 0) {
		a->allowed = true;
		a->reason = xasprintf("own information: %s holds it", q->from);
		return;
	}
	/* Records are sorted by date, so a later one of a kind replaces an earlier one. */
	for (size_t i = 0; i < r->n; i++) {
		const struct consent_record *rec = r->v[i];
		enum consent_status st;
		int m;

		if (rec->kind == RK_WITHDRAWAL)
			continue;
		m = match(rec, q);
		st = consent_status(r, rec, q->date, NULL);
		if (m != M_ALL) {
			/*
			 * The record in force that comes closest tells what is missing, if it names the
			 * recipient or the category: one that shares only a purpose explains nothing.
			 */
			if ((st == CS_IN_FORCE || st == CS_NO_BASIS) && rec->kind != RK_REFUSAL &&
			    (m & (M_TO | M_CAT)) &&
			    bits(m) >= bits(partial_m)) {
				partial = rec;
				partial_m = m;
			}
		} else if (rec->kind == RK_REFUSAL) {
			if (st != CS_NOT_YET)
				refusal = rec;
		} else if (st == CS_NOT_YET) {
			future = future ? future : rec;
		} else if (st == CS_NO_BASIS) {
			uninformed = rec;
		} else if (st != CS_IN_FORCE) {
			lapsed = rec;
		} else if (rec->kind == RK_CONSENT) {
			consent = rec;
		} else if (settings_shares_458ter(cfg, q->from, q->date)) {
			/* R11: the setting of the day shared on, not today's. */
			basis = basis ? basis : rec;
		} else {
			nobasis = rec;
		}
	}
	/* A refusal dated on or after the latest consent in force outweighs it. */
	if (consent && !(refusal && date_cmp(refusal->date, consent->date) >= 0)) {
		a->allowed = true;
		a->by = consent;
		a->reason = xasprintf("consent %s given %s (%s) for %s%s", consent->id,
		    date_format(consent->date, d), vocab_word(vocab_how, consent->how),
		    consent_purpose_word(consent), until_text(consent, u));
		return;
	}
	if (basis) {
		a->allowed = true;
		a->by = basis;
		a->reason = xasprintf("art. 458ter basis %s (%s) for %s, valid from %s%s", basis->id,
		    vocab_word(vocab_basis_kinds, basis->basis), consent_purpose_word(basis),
		    date_format(basis->date, d), until_text(basis, u));
		return;
	}
	if (refusal) {
		a->by = refusal;
		a->reason = xasprintf("refused on %s (%s)", date_format(refusal->date, d), refusal->id);
	} else if (uninformed) {
		a->by = uninformed;
		a->reason = xasprintf("consent %s was given without being informed that refusing or"
		    " withdrawing has no consequences (recorded without --informed), so it is no basis",
		    uninformed->id);
	} else if (lapsed) {
		why_lapsed(r, lapsed, q, a);
	} else if (nobasis) {
		a->by = nobasis;
		a->reason = xasprintf("%s does not share under art. 458ter on %s (partners.%s."
		    "shares_under_458ter), so basis %s does not cover it", q->from,
		    date_format(q->date, d), q->from, nobasis->id);
	} else if (future) {
		char f[11];

		a->by = future;
		a->reason = xasprintf("nothing covers it on %s: %s %s holds from %s",
		    date_format(q->date, d), what(future), future->id, date_format(future->date, f));
	} else if (partial) {
		why_partial(partial, partial_m, q, a);
	} else {
		a->reason = xasprintf("no consent or legal basis covers %s from %s to %s on %s",
		    q->category, q->from, q->to, date_format(q->date, d));
	}
}

void
share_answer_free(struct share_answer *a)
{
	if (a == NULL)
		return;
	free(a->reason);
	a->reason = NULL;
}

/*
 * plan.c: the detention plan decoded (see plan.h), its check, and the one way it is written.
 * The schema has checked every field's type and form before the decoder runs; the decoder
 * still refuses a tree without that shape rather than trust it, since it is also handed trees
 * built in memory and views with items withheld.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caseid.h"
#include "change.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "reintegration.h"
#include "schemas.h"
#include "seal.h"

static int
bad(const struct plan *p, const char *what)
{
	if (p->case_id)
		err_set("cannot read the plan of '%s': %s is not as the schema says", p->case_id, what);
	else
		err_set("cannot read a plan: %s is not as the schema says", what);
	return -1;
}

/* The string at key of map: 0 with *s NULL when absent, -1 when there but not a string. */
static int
str_at(const struct doc *map, const char *key, const char **s, int *line)
{
	const struct doc *v = doc_get(map, key);

	*s = NULL;
	if (line)
		*line = 0;
	if (v == NULL)
		return 0;
	if (v->type != DOC_STR)
		return -1;
	*s = v->s;
	if (line)
		*line = v->line;
	return 0;
}

/*
 * The text at key of map (seal_text(): SEAL_CLOSED for a sealed value): 0 with *s NULL when
 * absent, -1 when there but neither.
 */
static int
text_at(const struct doc *map, const char *key, const char **s)
{
	const struct doc *v = doc_get(map, key);

	*s = seal_text(v);
	return v != NULL && *s == NULL ? -1 : 0;
}

/* The date at key of map: 0 with {0} when absent, -1 when there but not a date casus takes. */
static int
date_at(const struct doc *map, const char *key, struct date *d, int *line)
{
	const struct doc *v = doc_get(map, key);

	memset(d, 0, sizeof *d);
	if (line)
		*line = v ? v->line : 0;
	if (v == NULL)
		return 0;
	return v->type == DOC_STR && date_parse(v->s, v->len, d) == 0 ? 0 : -1;
}

/* The word at key of map as an index of t: dflt when absent (dflt < 0: required), else -1. */
static int
word_at(const struct doc *map, const char *key, const struct vocab *t, int dflt)
{
	const struct doc *v = doc_get(map, key);

	if (v == NULL)
		return dflt;
	return v->type == DOC_STR ? vocab_find(t, v->s) : -1;
}

static int
decode_actions(const struct plan *p, struct plan_goal *g, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(p, "a goal's actions");
	g->actions = xcalloc(l->n ? l->n : 1, sizeof *g->actions);
	for (size_t i = 0; i < l->n; i++) {
		const struct doc *it = l->items[i];
		struct plan_action *a = &g->actions[g->nactions++];
		int st = word_at(it, "status", vocab_action_status, ACTION_PLANNED);

		a->line = it->line;
		if (it->type != DOC_MAP || text_at(it, "text", &a->text) < 0 || a->text == NULL ||
		    str_at(it, "owner", &a->owner, &a->owner_line) < 0 || a->owner == NULL ||
		    date_at(it, "due", &a->due, NULL) < 0 || st < 0)
			return bad(p, "an action");
		a->status = st;
	}
	return 0;
}

static int
decode_goals(const struct plan *p, struct plan_domain *dm, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(p, "a domain's goals");
	dm->goals = xcalloc(l->n ? l->n : 1, sizeof *dm->goals);
	for (size_t i = 0; i < l->n; i++) {
		const struct doc *it = l->items[i];
		struct plan_goal *g = &dm->goals[dm->ngoals++];
		int st = word_at(it, "status", vocab_goal_status, GOAL_OPEN);

		g->line = it->line;
		if (it->type != DOC_MAP || text_at(it, "text", &g->text) < 0 || g->text == NULL ||
		    str_at(it, "owner", &g->owner, &g->owner_line) < 0 || g->owner == NULL || st < 0)
			return bad(p, "a goal");
		g->status = st;
		if (decode_actions(p, g, doc_get(it, "actions")) < 0)
			return -1;
	}
	return 0;
}

static int
decode_domains(struct plan *p, const struct doc *m)
{
	if (m == NULL || m->type != DOC_MAP)
		return bad(p, "domains");
	for (int i = 0; i < DOMAIN_N; i++) {
		const struct doc *it = doc_get(m, vocab_word(vocab_domains, i));
		struct plan_domain *dm = &p->domains[i];
		int st = word_at(it, "status", vocab_domain_status, -1);

		if (it == NULL || it->type != DOC_MAP || st < 0 ||
		    str_at(it, "owner", &dm->owner, &dm->owner_line) < 0 ||
		    text_at(it, "note", &dm->note) < 0)
			return bad(p, "a life domain");
		dm->status = st;
		dm->line = it->line;
		if (decode_goals(p, dm, doc_get(it, "goals")) < 0)
			return -1;
	}
	return 0;
}

static int
decode_team(struct plan *p, const struct doc *m)
{
	if (m == NULL || m->type != DOC_MAP)
		return bad(p, "team");
	p->team = xcalloc(m->n ? m->n : 1, sizeof *p->team);
	for (size_t i = 0; i < m->n; i++) {
		const struct doc *l = m->pairs[i].val;
		struct plan_team *t = &p->team[p->nteam++];

		t->partner = m->pairs[i].key;
		t->line = m->pairs[i].line;
		if (l->type != DOC_SEQ)
			return bad(p, "team");
		t->members = xcalloc(l->n ? l->n : 1, sizeof *t->members);
		for (size_t j = 0; j < l->n; j++) {
			if (l->items[j]->type != DOC_STR)
				return bad(p, "team");
			t->members[t->nmembers++] = (struct plan_email){l->items[j]->s, l->items[j]->line};
		}
	}
	return 0;
}

static int
decode_roles(struct plan *p, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(p, "roles");
	p->roles = xcalloc(l->n ? l->n : 1, sizeof *p->roles);
	for (size_t i = 0; i < l->n; i++) {
		const struct doc *it = l->items[i];
		struct plan_role *r = &p->roles[p->nroles++];

		r->line = it->line;
		if (it->type != DOC_MAP || str_at(it, "partner", &r->partner, &r->partner_line) < 0 ||
		    r->partner == NULL || str_at(it, "member", &r->member, &r->member_line) < 0 ||
		    text_at(it, "agreement", &r->agreement) < 0 || r->agreement == NULL)
			return bad(p, "a role agreement");
	}
	return 0;
}

static int
decode_aims(struct plan *p, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(p, "aims");
	p->aims = xcalloc(l->n ? l->n : 1, sizeof *p->aims);
	for (size_t i = 0; i < l->n; i++) {
		int a = l->items[i]->type == DOC_STR ? vocab_find(vocab_aims, l->items[i]->s) : -1;

		if (a < 0)
			return bad(p, "aims");
		p->aims[p->naims++] = a;
	}
	return 0;
}

static int
decode_dates(struct plan *p, const struct doc *m)
{
	if (m == NULL || m->type != DOC_MAP)
		return bad(p, "dates");
	for (int i = 0; i < PD_N; i++)
		if (date_at(m, vocab_word(vocab_plan_dates, i), &p->dates[i], &p->date_lines[i]) < 0)
			return bad(p, "dates");
	if (!date_valid(p->dates[PD_DETENTION_START]))
		return bad(p, "dates");
	return 0;
}

static int
decode_refusal(struct plan *p, const struct doc *r)
{
	struct plan_refusal *f = &p->refusals[p->nrefusals++];

	f->line = r->line;
	if (r->type != DOC_MAP || date_at(r, "since", &f->since, NULL) < 0 ||
	    date_at(r, "revoked", &f->revoked, &f->revoked_line) < 0 || !date_valid(f->since))
		return bad(p, "a refusal");
	return 0;
}

/*
 * "refusals", the list that keeps each refusal with its revocation; or "refusal", the one
 * refusal plans held before it, read as a list of one so that every reader sees one form.
 */
static int
decode_refusals(struct plan *p, const struct doc *l, const struct doc *old)
{
	if (l == NULL && old == NULL)
		return 0;
	if (l && l->type != DOC_SEQ)
		return bad(p, "refusals");
	p->refusals = xcalloc(l && l->n ? l->n : 1, sizeof *p->refusals);
	if (l == NULL) {
		p->old_refusal = true;
		return decode_refusal(p, old);
	}
	if (old)
		p->old_refusal_line = old->line;
	for (size_t i = 0; i < l->n; i++)
		if (decode_refusal(p, l->items[i]) < 0)
			return -1;
	return 0;
}

struct plan *
plan_decode(struct doc *d)
{
	struct plan *p = xcalloc(1, sizeof *p);
	int st;

	p->doc = d;
	if (d == NULL || d->type != DOC_MAP || str_at(d, "case_id", &p->case_id, &p->case_id_line) < 0 ||
	    p->case_id == NULL) {
		p->case_id = NULL;
		bad(p, "case_id");
		goto fail;
	}
	st = word_at(d, "status", vocab_plan_status, -1);
	if (str_at(d, "institution", &p->institution, NULL) < 0 || p->institution == NULL) {
		bad(p, "institution");
		goto fail;
	}
	if (st < 0) {
		bad(p, "status");
		goto fail;
	}
	p->status = st;
	if (decode_dates(p, doc_get(d, "dates")) < 0 ||
	    decode_refusals(p, doc_get(d, "refusals"), doc_get(d, "refusal")) < 0 ||
	    decode_aims(p, doc_get(d, "aims")) < 0 ||
	    decode_team(p, doc_get(d, "team")) < 0 || decode_roles(p, doc_get(d, "roles")) < 0 ||
	    decode_domains(p, doc_get(d, "domains")) < 0)
		goto fail;
	return p;
fail:
	plan_free(p);
	return NULL;
}

void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < DOMAIN_N; i++) {
		for (size_t g = 0; g < p->domains[i].ngoals; g++)
			free(p->domains[i].goals[g].actions);
		free(p->domains[i].goals);
	}
	for (size_t i = 0; i < p->nteam; i++)
		free(p->team[i].members);
	free(p->team);
	free(p->roles);
	free(p->aims);
	free(p->refusals);
	doc_free(p->doc);
	free(p);
}

struct plan *
plan_parse(const char *buf, size_t len, const char *file, struct problems *ps)
{
	struct doc *d = casus_parse(buf, len, file, "plan", ps);

	return d ? plan_decode(d) : NULL;
}

/* The line of key in map, or 0. */
static int
key_line(const struct doc *map, const char *key)
{
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return map->pairs[i].line;
	return 0;
}

/*
 * The stored reintegration plan d (a case's, id) as plan-show shows it: opened with the
 * program's key, what it does not open a marker, without the keys a view adds. 0, or -1 with
 * err_set().
 */
static int
reintegration_shown(const struct view *v, const char *id, struct doc *d)
{
	struct records rs = {0};
	struct seal_ctx c = {.kind = SEAL_REINTEGRATION, .file = REINTEGRATION_FILE};
	struct settings *cfg = settings_read(v, NULL);
	int r = -1;

	if (cfg && case_seal_ctx(v, cfg, id, &c, &rs) == 0) {
		seal_view(d, &c);
		seal_unmark(d);
		r = 0;
	}
	records_free(&rs);
	settings_free(cfg);
	return r;
}

/* Whether r, the "reintegration" plan-show added, is the case's as stored, or a problem. */
static void
check_shown_reintegration(const struct doc *r, int line, const char *file,
    const struct view *v, const char *id, struct problems *ps)
{
	static const struct doc none = {.type = DOC_NULL};
	char *path = case_path(id, REINTEGRATION_FILE), *buf = NULL;
	struct doc *stored = NULL;
	size_t len;
	int got = view_read(v, path, &buf, &len);

	if (got == 0)
		stored = casus_load(buf, len, path, "reintegration");
	/* What plan-show printed is the view: compared with the view of what is stored. */
	if (stored && reintegration_shown(v, id, stored) < 0)
		got = -1;
	if (got < 0 || (got == 0 && stored == NULL))
		problems_add(ps, file, line, "reintegration",
		    "cannot compare with the stored reintegration plan: %s", err_last());
	else if (!doc_equal(r, stored ? stored : &none))
		problems_add(ps, file, line, "reintegration",
		    "differs from the stored reintegration plan: change that with plan-edit --reintegration");
	doc_free(stored);
	free(buf);
	free(path);
}

struct doc *
casus_parse_shown(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps)
{
	struct doc *d;

	if (doc_parse(buf, len, file, &doc_limits_casus, &d, ps) < 0)
		return NULL;
	seal_unmark(d);
	return casus_validate(d, file, schema, ps);
}

struct plan *
plan_parse_shown(const char *buf, size_t len, const char *file, const struct view *v,
    const char *id, struct problems *ps)
{
	const struct doc *r;
	struct doc *d;
	size_t before = ps->n;

	if (doc_parse(buf, len, file, &doc_limits_casus, &d, ps) < 0)
		return NULL;
	seal_unmark(d);
	if (d->type == DOC_MAP) {
		doc_del(d, "overleg");
		r = doc_get(d, "reintegration");
		if (r)
			check_shown_reintegration(r, key_line(d, "reintegration"), file, v, id, ps);
		doc_del(d, "reintegration");
	}
	if (!schema_validate(casus_schema("plan"), d, file, ps) || ps->n > before) {
		doc_free(d);
		return NULL;
	}
	return plan_decode(d);
}

struct plan *
plan_read(const struct view *v, const char *id)
{
	struct problems ps = {0};
	struct plan *p = NULL;
	char *path = case_path(id, PLAN_FILE), *buf;
	size_t len;
	int r = view_read(v, path, &buf, &len);

	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", id);
	if (r == 0) {
		p = plan_parse(buf, len, path, &ps);
		if (p == NULL && ps.n)
			problems_to_error(&ps, "read", path);
		free(buf);
	}
	problems_free(&ps);
	free(path);
	return p;
}

const struct plan_team *
plan_team(const struct plan *p, const char *partner)
{
	for (size_t i = 0; partner && i < p->nteam; i++)
		if (strcmp(p->team[i].partner, partner) == 0)
			return &p->team[i];
	return NULL;
}

bool
plan_domain_assessed(const struct plan *p, int i)
{
	return p->domains[i].status != DS_TO_ASSESS;
}

bool
plan_assessed(const struct plan *p)
{
	for (int i = 0; i < DOMAIN_N; i++)
		if (!plan_domain_assessed(p, i))
			return false;
	return true;
}

const struct plan_refusal *
plan_refused(const struct plan *p, struct date on)
{
	const struct plan_refusal *in_force = NULL;

	for (size_t i = 0; i < p->nrefusals; i++) {
		const struct plan_refusal *f = &p->refusals[i];

		if (date_cmp(f->since, on) > 0)
			continue;
		in_force = date_valid(f->revoked) && date_cmp(f->revoked, on) <= 0 ? NULL : f;
	}
	return in_force;
}

/* The "refusals" list of d, made from the old "refusal" when that is what d has. */
static struct doc *
refusal_list(struct doc *d)
{
	struct doc *l = doc_get(d, "refusals"), *old = doc_get(d, "refusal");

	if (l)
		return l;
	l = doc_new(DOC_SEQ);
	if (old)
		doc_push(l, doc_clone(old));
	doc_del(d, "refusal");
	doc_set(d, "refusals", l);
	return doc_get(d, "refusals");
}

int
plan_refuse(struct doc *d, struct date since)
{
	struct doc *f = doc_new(DOC_MAP);
	char buf[11];

	doc_set(f, "since", doc_new_str(date_format(since, buf)));
	doc_push(refusal_list(d), f);
	return 0;
}

int
plan_refusal_revoke(struct doc *d, struct date revoked)
{
	struct doc *l = refusal_list(d), *last = l->n ? l->items[l->n - 1] : NULL;
	char buf[11];

	if (last == NULL || last->type != DOC_MAP || doc_get(last, "revoked")) {
		err_set("cannot revoke the refusal of '%s': no refusal is in force",
		    doc_get_str(d, "case_id"));
		return -1;
	}
	doc_set(last, "revoked", doc_new_str(date_format(revoked, buf)));
	return 0;
}

int
plan_date_out_of_order(const struct date d[PD_N], int i)
{
	int prev = i - 1;

	/* A date left out is left out of the order, not a gap that hides the next one. */
	while (prev >= 0 && !date_valid(d[prev]))
		prev--;
	if (prev < 0 || !date_valid(d[i]) || date_cmp(d[prev], d[i]) <= 0)
		return -1;
	return prev;
}

static void
check_dates(const struct plan *p, const char *file, struct problems *ps)
{
	for (int i = 0; i < PD_N; i++) {
		int prev = plan_date_out_of_order(p->dates, i);
		char a[11], b[11], *path;

		if (prev < 0)
			continue;
		path = xasprintf("dates.%s", vocab_word(vocab_plan_dates, i));
		problems_add(ps, file, p->date_lines[i], path, "%s %s is before %s %s",
		    vocab_word(vocab_plan_dates, i), date_format(p->dates[i], a),
		    vocab_word(vocab_plan_dates, prev), date_format(p->dates[prev], b));
		free(path);
	}
}

/* The fixed team (R9): known partners, each with registered members of its own. */
static void
check_team(const struct settings *cfg, const struct plan *p, const char *file, struct problems *ps)
{
	for (size_t i = 0; i < p->nteam; i++) {
		const struct plan_team *t = &p->team[i];

		if (!settings_check_partner(cfg, t->partner, file, t->line, "team", ps))
			continue;
		for (size_t j = 0; j < t->nmembers; j++) {
			char *path = xasprintf("team.%s[%zu]", t->partner, j);

			settings_check_member(cfg, t->members[j].email, t->partner, file,
			    t->members[j].line, path, ps);
			free(path);
		}
	}
}

static void
check_roles(const struct settings *cfg, const struct plan *p, const char *file, struct problems *ps)
{
	for (size_t i = 0; i < p->nroles; i++) {
		const struct plan_role *r = &p->roles[i];
		char *path = xasprintf("roles[%zu]", i);

		if (settings_partner(cfg, r->partner) == NULL)
			problems_add(ps, file, r->partner_line, path, "unknown partner '%s'", r->partner);
		settings_check_member(cfg, r->member, NULL, file, r->member_line, path, ps);
		free(path);
	}
}

/* Every item of a life domain belongs to a known partner: it decides who may read it (R10). */
static void
check_owners(const struct settings *cfg, const struct plan *p, const char *file,
    struct problems *ps)
{
	for (int i = 0; i < DOMAIN_N; i++) {
		const struct plan_domain *dm = &p->domains[i];
		const char *name = vocab_word(vocab_domains, i);
		char *path = xasprintf("domains.%s", name);

		settings_check_partner(cfg, dm->owner, file, dm->owner_line, path, ps);
		free(path);
		for (size_t g = 0; g < dm->ngoals; g++) {
			const struct plan_goal *goal = &dm->goals[g];

			path = xasprintf("domains.%s.goals[%zu]", name, g);
			settings_check_partner(cfg, goal->owner, file, goal->owner_line, path, ps);
			free(path);
			for (size_t a = 0; a < goal->nactions; a++) {
				path = xasprintf("domains.%s.goals[%zu].actions[%zu]", name, g, a);
				settings_check_partner(cfg, goal->actions[a].owner, file,
				    goal->actions[a].owner_line, path, ps);
				free(path);
			}
		}
	}
}

/* Whether email is among the role agreements of old (NULL: none). */
static bool
role_kept(const struct plan *old, const char *email)
{
	for (size_t i = 0; old && i < old->nroles; i++)
		if (old->roles[i].member && strcasecmp(old->roles[i].member, email) == 0)
			return true;
	return false;
}

/* The refusals (R1): each revocation after its refusal, and one refusal at a time. */
static void
check_refusals(const struct plan *p, const char *file, struct problems *ps)
{
	char a[11], b[11];

	if (p->old_refusal_line)
		problems_add(ps, file, p->old_refusal_line, "refusal",
		    "the old form beside refusals: make it the first item of refusals");
	for (size_t i = 0; i < p->nrefusals; i++) {
		const struct plan_refusal *f = &p->refusals[i], *prev = i ? &p->refusals[i - 1] : NULL;
		char *path = p->old_refusal ? xstrdup("refusal") : xasprintf("refusals[%zu]", i);

		if (date_valid(f->revoked) && date_cmp(f->revoked, f->since) < 0)
			problems_add(ps, file, f->revoked_line, path, "revoked %s is before the refusal of %s",
			    date_format(f->revoked, a), date_format(f->since, b));
		if (prev && !date_valid(prev->revoked))
			problems_add(ps, file, f->line, path,
			    "refused %s while the refusal of %s is not revoked",
			    date_format(f->since, a), date_format(prev->since, b));
		else if (prev && date_cmp(f->since, prev->revoked) < 0)
			problems_add(ps, file, f->line, path, "refused %s, before the revocation of %s",
			    date_format(f->since, a), date_format(prev->revoked, b));
		free(path);
	}
}

const char *
plan_team_inactive(const struct settings *cfg, const struct plan *old, const struct plan *p)
{
	static const struct date now = {0, 0, 0};

	for (size_t i = 0; i < p->nteam; i++) {
		const struct plan_team *was = old ? plan_team(old, p->team[i].partner) : NULL;

		for (size_t k = 0; k < p->team[i].nmembers; k++) {
			const char *email = p->team[i].members[k].email;
			bool kept = false;

			for (size_t j = 0; was && j < was->nmembers && !kept; j++)
				kept = strcmp(was->members[j].email, email) == 0;
			if (!kept && !settings_member_active(cfg, email, now))
				return email;
		}
	}
	/* A role agreement is named anew as a team place is (R9). */
	for (size_t i = 0; i < p->nroles; i++)
		if (p->roles[i].member && !role_kept(old, p->roles[i].member) &&
		    !settings_member_active(cfg, p->roles[i].member, now))
			return p->roles[i].member;
	return NULL;
}

void
plan_check(const struct settings *cfg, const struct plan *p, const char *id, const char *file,
    struct problems *ps)
{
	if (id && strcmp(p->case_id, id) != 0)
		problems_add(ps, file, p->case_id_line, "case_id", "is '%s' but the case is '%s'",
		    p->case_id, id);
	check_dates(p, file, ps);
	check_refusals(p, file, ps);
	check_team(cfg, p, file, ps);
	check_roles(cfg, p, file, ps);
	check_owners(cfg, p, file, ps);
}

/*
 * The error of a writer that refuses: the first problem without its file and line, as the
 * writers have always said it (the file is the case's own, the line that of what they wrote).
 */
void
plan_put_error(const struct problems *ps, const char *what, const char *id)
{
	err_set("cannot store the %s of '%s': %s%s%s", what, id, ps->v[0].path,
	    ps->v[0].path[0] ? ": " : "", ps->v[0].msg);
}

/* The schema of each kind of document with sealed parts, as stored. */
static const char *const sealed_schema[] = {
	[SEAL_PLAN] = "plan", [SEAL_REINTEGRATION] = "reintegration", [SEAL_OVERLEG] = "overleg",
};

int
case_sealed_files(const struct view *v, const char *id, case_file_fn fn, void *arg)
{
	char *dir = case_path(id, "overleg"), **names = NULL;
	size_t n = 0;
	int r = fn(PLAN_FILE, SEAL_PLAN, sealed_schema[SEAL_PLAN], arg);

	if (r == 0)
		r = fn(REINTEGRATION_FILE, SEAL_REINTEGRATION, sealed_schema[SEAL_REINTEGRATION], arg);
	if (r == 0 && view_list_folder(v, dir, &names, &n) < 0)
		r = -1;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t l = strlen(names[i]);
		char *file;

		if (l <= 5 || strcmp(names[i] + l - 5, ".yaml") != 0)
			continue;       /* case-validate's to report */
		file = xasprintf("overleg/%s", names[i]);
		r = fn(file, SEAL_OVERLEG, sealed_schema[SEAL_OVERLEG], arg);
		free(file);
	}
	store_list_free(names, n);
	free(dir);
	return r;
}

int
case_seal_ctx(const struct view *v, const struct settings *cfg, const char *id,
    struct seal_ctx *c, struct records *rs)
{
	memset(rs, 0, sizeof *rs);
	c->case_id = id;
	c->cfg = cfg;
	c->rs = rs;
	if (records_read(v, id, rs) < 0 || date_today(&c->on) < 0)
		return -1;
	err_clear();
	c->key = casus_key();
	if (c->key == NULL && err_last()[0] != '\0')
		return -1;
	c->also = casus_old_key();
	return 0;
}

int
case_seal(const struct view *v, const struct settings *cfg, struct doc *d, enum seal_kind kind,
    const char *id, const char *file)
{
	struct problems ignore = {0};
	struct records rs = {0};
	struct seal_ctx c = {.kind = kind, .file = file};
	struct doc *stored = NULL;
	char *path = case_path(id, file), *buf = NULL;
	size_t len;
	int r = view_read(v, path, &buf, &len);

	if (r == 0) {
		/* A stored file that is not valid is the one being mended: as if new. */
		stored = casus_parse(buf, len, path, sealed_schema[kind], &ignore);
		problems_free(&ignore);
	}
	r = r < 0 ? -1 : case_seal_ctx(v, cfg, id, &c, &rs);
	if (r == 0 && c.key == NULL) {
		err_set("cannot seal '%s': you have no key (make one with member-key --new)", path);
		r = -1;
	}
	if (r == 0)
		r = seal_put(d, stored, &c);
	records_free(&rs);
	doc_free(stored);
	free(buf);
	free(path);
	return r;
}

int
plan_put(struct txn *t, const struct settings *cfg, struct doc *d, const char *id)
{
	struct problems ps = {0};
	struct plan *p = NULL;
	struct doc *sealed = NULL;
	char *path = case_path(id, PLAN_FILE), *out;
	size_t len;
	int r = -1;

	if (!schema_validate(casus_schema("plan"), d, path, &ps))
		goto done;
	p = plan_decode(doc_clone(d));
	if (p == NULL)
		goto done;
	plan_check(cfg, p, id, path, &ps);
	if (ps.n)
		goto done;
	/* A copy: a change that is tried again starts from d as it was given. */
	sealed = doc_clone(d);
	if (case_seal(txn_view(t), cfg, sealed, SEAL_PLAN, id, PLAN_FILE) < 0) {
		err_set("cannot store the plan of '%s': %s", id, err_last());
		goto done;
	}
	if (casus_dump(sealed, "plan", &out, &len) == 0) {
		r = txn_write(t, path, out, len);
		free(out);
	}
done:
	if (ps.n)
		plan_put_error(&ps, "plan", id);
	doc_free(sealed);
	plan_free(p);
	problems_free(&ps);
	free(path);
	return r;
}

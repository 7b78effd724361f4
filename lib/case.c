/*
 * case.c: one case as a whole: everything the readiness checks read, and the cross-checks of
 * every document of every case that the settings must keep passing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "caseid.h"
#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "reintegration.h"
#include "schemas.h"

int
case_data_read(const struct view *v, const char *id, struct case_data *cd)
{
	char *path = case_path(id, "reintegration.yaml"), *buf;
	size_t len;
	int r;

	memset(cd, 0, sizeof *cd);
	cd->id = xstrdup(id);
	cd->plan = plan_read(v, id);
	if (cd->plan == NULL)
		goto fail;
	r = view_read(v, path, &buf, &len);
	if (r < 0)
		goto fail;
	if (r == 0) {
		cd->reint = casus_load(buf, len, path, "reintegration");
		free(buf);
		if (cd->reint == NULL)
			goto fail;
	}
	if (overlegs_read(v, id, &cd->o) < 0 || records_read(v, id, &cd->rs) < 0)
		goto fail;
	free(path);
	return 0;
fail:
	free(path);
	case_data_free(cd);
	return -1;
}

void
case_data_free(struct case_data *cd)
{
	free(cd->id);
	doc_free(cd->plan);
	doc_free(cd->reint);
	overlegs_free(&cd->o);
	records_free(&cd->rs);
	memset(cd, 0, sizeof *cd);
}

/*
 * The documents of one case that the settings are checked against, as stored, each with its
 * path and its check. A file that does not pass its schema is left out: case-validate reports
 * it, and no settings make it better or worse.
 */
struct case_doc {
	struct doc *d;
	char *path;
	enum { PLAN_DOC, REINTEGRATION_DOC, EVENT_DOC } kind;
	bool consent;           /* an EVENT_DOC of consent/ */
};

struct case_docs {
	struct case_doc *v;
	size_t n, cap;
};

static void
case_docs_free(struct case_docs *cd)
{
	for (size_t i = 0; i < cd->n; i++) {
		doc_free(cd->v[i].d);
		free(cd->v[i].path);
	}
	free(cd->v);
	cd->v = NULL;
	cd->n = cd->cap = 0;
}

/* Adds the document at path (taking path) if it is there and valid. 0, or -1 on a store error. */
static int
case_doc_add(struct txn *t, char *path, const char *schema, int kind, struct case_docs *cd)
{
	struct problems ignore = {0};
	struct doc *d;
	char *buf;
	size_t len;
	int r = view_read(txn_view(t), path, &buf, &len);

	if (r != 0) {
		free(path);
		return r < 0 ? -1 : 0;
	}
	d = casus_parse(buf, len, path, schema, &ignore);
	problems_free(&ignore);
	free(buf);
	if (d == NULL) {
		free(path);
		return 0;
	}
	xgrow((void **)&cd->v, &cd->cap, cd->n + 1, sizeof *cd->v);
	cd->v[cd->n++] = (struct case_doc){.d = d, .path = path, .kind = kind,
	    .consent = strcmp(schema, "consent") == 0};
	return 0;
}

/*
 * Reads the plans and event records of case id as staged in t. 0 or -1 (err_set). The case's
 * folder is listed once and only what is there is read: each lookup walks the tree from the
 * root again, and at 10,000 cases reading objects is nearly all the cost (YAML is 3%).
 */
static int
case_docs_read(struct txn *t, const char *id, struct case_docs *cd)
{
	char *dir = case_dir(id), **names;
	size_t n;
	int r = view_list(txn_view(t), dir, &names, &n);

	if (r < 0) {
		free(dir);
		return -1;
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), **events;
		size_t ne;

		if (strcmp(names[i], "plan.yaml") == 0) {
			r = case_doc_add(t, path, "plan", PLAN_DOC, cd);
		} else if (strcmp(names[i], "reintegration.yaml") == 0) {
			r = case_doc_add(t, path, "reintegration", REINTEGRATION_DOC, cd);
		} else if (strcmp(names[i], "consent") == 0 || strcmp(names[i], "overleg") == 0) {
			r = view_list(txn_view(t), path, &events, &ne);
			if (r == 0) {
				for (size_t e = 0; r == 0 && e < ne; e++)
					r = case_doc_add(t, xasprintf("%s/%s", path, events[e]), names[i],
					    EVENT_DOC, cd);
				store_list_free(events, ne);
			}
			free(path);
		} else {
			free(path);     /* not a file casus writes: case-validate reports it */
		}
	}
	store_list_free(names, n);
	free(dir);
	return r;
}

/* The cross-checks of case-validate that read the settings, run on a case's documents with cfg. */
static void
case_docs_check(const struct case_docs *cd, const struct settings *cfg, const char *id,
    struct problems *ps)
{
	struct case_data data = {.id = (char *)id};
	struct consent_record **recs = xcalloc(cd->n ? cd->n : 1, sizeof *recs);
	struct overleg **ovs = xcalloc(cd->n ? cd->n : 1, sizeof *ovs);

	/*
	 * The consent checks read the case's other records, the consultation checks the plan, the
	 * other consultations and the records: decode them all first. The plan is lent, not given.
	 */
	for (size_t i = 0; i < cd->n; i++) {
		const struct case_doc *c = &cd->v[i];

		if (c->kind == PLAN_DOC)
			data.plan = c->d;
		else if (c->consent && (recs[i] = consent_decode(doc_clone(c->d))) != NULL)
			records_add(&data.rs, recs[i]);
		else if (c->kind == EVENT_DOC && !c->consent &&
		    (ovs[i] = overleg_decode(doc_clone(c->d))) != NULL)
			overlegs_add(&data.o, ovs[i]);
	}
	err_clear();
	for (size_t i = 0; i < cd->n; i++) {
		const struct case_doc *c = &cd->v[i];

		if (c->kind == PLAN_DOC)
			plan_check(cfg, c->d, id, c->path, ps);
		else if (c->kind == REINTEGRATION_DOC)
			reintegration_check(cfg, c->d, id, c->path, ps);
		else if (recs[i] != NULL)
			consent_check(cfg, &data, recs[i], c->path, ps);
		else if (ovs[i] != NULL)
			overleg_check(cfg, &data, ovs[i], c->path, ps);
	}
	records_free(&data.rs);
	overlegs_free(&data.o);
	free(ovs);
	free(recs);
}

/*
 * Whether everything of old the cross-checks read means the same in cfg: each partner and
 * category of old is still there, and each member of old is still registered, for the same
 * partner. Besides names, the consultation checks read two settings: whether each partner
 * shares under art. 458ter (share_decide(), on what was shared) and the pre-leave lead time
 * (a held pre-leave consultation falls in it); both must be unchanged. Then a case that passes
 * them with old passes them with cfg, and nothing need be read. This makes member-add,
 * member-remove and most settings changes free on a store of any size.
 */
static bool
config_keeps(const struct settings *cfg, const struct settings *old)
{
	if (cfg->pre_leave_lead.n != old->pre_leave_lead.n ||
	    cfg->pre_leave_lead.unit != old->pre_leave_lead.unit)
		return false;
	for (size_t i = 0; i < old->npartners; i++) {
		const struct partner_cfg *now = settings_partner(cfg, old->partners[i].id);

		if (now == NULL || now->shares_under_458ter != old->partners[i].shares_under_458ter)
			return false;
	}
	for (size_t i = 0; i < old->ncategories; i++)
		if (settings_category(cfg, old->categories[i].id) == NULL)
			return false;
	for (size_t i = 0; i < old->nmembers; i++) {
		const struct member *now = settings_member(cfg, old->members[i].email);

		if (now == NULL || strcmp(now->partner, old->members[i].partner) != 0)
			return false;
	}
	return true;
}

/* How much of a refusal is shown: the problems of the first cases, and the IDs of a few more. */
enum { BROKEN_CASES_SHOWN = 10, BROKEN_PROBLEMS_SHOWN = 20 };

/*
 * Refuses settings cfg that would make a case that passes the cross-checks with old fail them.
 * A case that fails them already is left to case-validate: it is not made worse, and refusing
 * for it would also refuse the settings change that repairs it.
 */
static int
config_cases_check(struct txn *t, const struct settings *old, const struct settings *cfg, const char *what,
    struct problems *ps)
{
	struct buf ids = {0};
	char **cases;
	size_t n, broken = 0, added = 0, total = 0;
	int r = 0;

	if (old == NULL || config_keeps(cfg, old))
		return 0;
	if (case_ids(txn_view(t), &cases, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct case_docs cd = {0};
		struct problems now = {0}, before = {0};

		r = case_docs_read(t, cases[i], &cd);
		if (r == 0)
			case_docs_check(&cd, cfg, cases[i], &now);
		if (now.n)
			case_docs_check(&cd, old, cases[i], &before);
		if (now.n && before.n == 0) {
			if (broken < BROKEN_CASES_SHOWN)
				buf_printf(&ids, "%s%s", broken ? ", " : "", cases[i]);
			for (size_t p = 0; p < now.n; p++, total++)
				if (broken < BROKEN_CASES_SHOWN && added < BROKEN_PROBLEMS_SHOWN) {
					problems_add(ps, now.v[p].file, now.v[p].line, now.v[p].path, "%s",
					    now.v[p].msg);
					added++;
				}
			broken++;
		}
		problems_free(&now);
		problems_free(&before);
		case_docs_free(&cd);
	}
	store_list_free(cases, n);
	if (r == 0 && total > added)
		problems_add(ps, NULL, 0, NULL, "%zu more problem%s not shown", total - added,
		    total - added == 1 ? "" : "s");
	if (r == 0 && broken) {
		if (broken > BROKEN_CASES_SHOWN)
			buf_printf(&ids, " and %zu more", broken - BROKEN_CASES_SHOWN);
		err_set("cannot %s: %zu case%s would no longer pass case-validate (%s)", what, broken,
		    broken == 1 ? "" : "s", ids.len ? ids.data : "");
		r = STORE_REFUSED;
	}
	buf_free(&ids);
	return r;
}

int
casus_put_config(struct txn *t, const struct settings *old, const struct doc *cfg,
    const char *what, struct problems *ps)
{
	struct settings *next;
	struct doc *d = doc_clone(cfg), *back;
	char *out;
	size_t len;
	int r = STORE_REFUSED;

	next = settings_validate(d, CASUS_CONFIG, ps);
	if (next == NULL) {
		if (ps->n == 0)
			r = -1;
		else
			err_set("cannot %s: %zu problem%s", what, ps->n, ps->n == 1 ? "" : "s");
		goto done;
	}
	r = config_cases_check(t, old, next, what, ps);
	if (r != 0)
		goto done;
	r = -1;
	if (casus_dump(d, "casus", &out, &len) < 0)
		goto done;
	/* Store only what every program can read back: a bad byte here would lock the team out. */
	back = casus_parse(out, len, CASUS_CONFIG, "casus", ps);
	if (back == NULL) {
		err_set("cannot %s: %zu problem%s", what, ps->n, ps->n == 1 ? "" : "s");
		free(out);
		r = STORE_REFUSED;
		goto done;
	}
	doc_free(back);
	r = txn_write(t, CASUS_CONFIG, out, len);
	free(out);
done:
	settings_free(next);
	doc_free(d);
	return r;
}

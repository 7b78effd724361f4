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
#include "validate.h"

int
case_data_read(const struct view *v, const char *id, struct case_data *cd)
{
	memset(cd, 0, sizeof *cd);
	cd->id = xstrdup(id);
	cd->plan = plan_read(v, id);
	if (cd->plan == NULL)
		goto fail;
	if (reintegration_read(v, id, &cd->reint) < 0)
		goto fail;
	if (overlegs_read(v, id, &cd->o) < 0 || records_read(v, id, &cd->rs) < 0)
		goto fail;
	return 0;
fail:
	case_data_free(cd);
	return -1;
}

void
case_data_free(struct case_data *cd)
{
	free(cd->id);
	plan_free(cd->plan);
	reintegration_free(cd->reint);
	overlegs_free(&cd->o);
	records_free(&cd->rs);
	memset(cd, 0, sizeof *cd);
}

/*
 * Reads case id as staged in t and checks it with cfg; if it passes the checks with old, the
 * problems cfg gives it go to added. The case is read once, its folder listed once: at 10,000 cases reading
 * objects is nearly all the cost (YAML is 3%). 0 or -1.
 */
static int
case_new_problems(struct txn *t, const char *id, const struct settings *old,
    const struct settings *cfg, struct problems *added)
{
	struct problems now = {0}, before = {0}, layout = {0};
	struct case_files *cf;
	char *dir = case_dir(id), **names;
	size_t n;

	if (view_list(txn_view(t), dir, &names, &n) < 0) {
		free(dir);
		return -1;
	}
	/* What the layout and the schemas say is case-validate's; no settings change it. */
	cf = case_files_read(txn_view(t), dir, id, names, n, &layout);
	store_list_free(names, n);
	free(dir);
	problems_free(&layout);
	if (cf == NULL)
		return -1;
	case_files_check(cf, cfg, &now);
	if (now.n)
		case_files_check(cf, old, &before);
	for (size_t i = 0; before.n == 0 && i < now.n; i++)
		problems_add(added, now.v[i].file, now.v[i].line, now.v[i].path, "%s", now.v[i].msg);
	problems_free(&now);
	problems_free(&before);
	case_files_free(cf);
	return 0;
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
same_periods(const struct partner_cfg *a, const struct partner_cfg *b)
{
	if (a->nshares != b->nshares)
		return false;
	for (size_t i = 0; i < a->nshares; i++)
		if (date_cmp(a->shares[i].since, b->shares[i].since) != 0 ||
		    date_cmp(a->shares[i].until, b->shares[i].until) != 0)
			return false;
	return true;
}

static bool
config_keeps(const struct settings *cfg, const struct settings *old)
{
	if (cfg->pre_leave_lead.n != old->pre_leave_lead.n ||
	    cfg->pre_leave_lead.unit != old->pre_leave_lead.unit)
		return false;
	for (size_t i = 0; i < old->npartners; i++) {
		const struct partner_cfg *now = settings_partner(cfg, old->partners[i].id);

		if (now == NULL || !same_periods(now, &old->partners[i]))
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
 * Refuses settings cfg that would make a case that passes the checks with old fail them. A
 * case that fails them already is left to case-validate: it is not made worse, and refusing
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
		struct problems now = {0};

		r = case_new_problems(t, cases[i], old, cfg, &now);
		if (now.n) {
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
	if (old != NULL) {
		struct date today;
		size_t before = ps->n;

		if (date_today(&today) < 0) {
			r = -1;
			goto done;
		}
		settings_history_check(old, next, today, CASUS_CONFIG, ps);
		if (ps->n > before) {
			err_set("cannot %s: %zu problem%s", what, ps->n, ps->n == 1 ? "" : "s");
			goto done;
		}
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

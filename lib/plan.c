/* plan.c: a case's detention plan: its checks beyond the schema, reading and storing it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseid.h"
#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "reintegration.h"
#include "schemas.h"

static void
check_owner(const struct settings *cfg, const struct doc *node, const char *path, const char *file,
    struct problems *ps)
{
	const struct doc *o = doc_get(node, "owner");

	if (o && o->type == DOC_STR)
		settings_check_partner(cfg, o->s, file, o->line, path, ps);
}

static void
check_dates(const struct doc *plan, const char *file, struct problems *ps)
{
	static const char *const order[] = {
		"detention_start", "leave_eligible", "release_eligible", "sentence_end",
	};
	const struct doc *dates = doc_get(plan, "dates");
	const struct doc *prev = NULL;
	const char *prevname = NULL;
	struct date a, b;

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct doc *d = doc_get(dates, order[i]);

		if (d == NULL || d->type != DOC_STR || date_parse(d->s, d->len, &b) < 0)
			continue;
		if (prev && date_parse(prev->s, prev->len, &a) == 0 && date_cmp(a, b) > 0) {
			char path[64];

			snprintf(path, sizeof path, "dates.%s", order[i]);
			problems_add(ps, file, d->line, path, "%s %s is before %s %s", order[i], d->s,
			    prevname, prev->s);
		}
		prev = d;
		prevname = order[i];
	}
}

void
plan_check(const struct settings *cfg, const struct doc *plan, const char *id, const char *file,
    struct problems *ps)
{
	const struct doc *cid = doc_get(plan, "case_id");
	const struct doc *team = doc_get(plan, "team");
	const struct doc *domains = doc_get(plan, "domains");
	const struct doc *roles = doc_get(plan, "roles");
	char path[256];

	if (id && cid && cid->type == DOC_STR && strcmp(cid->s, id) != 0)
		problems_add(ps, file, cid->line, "case_id", "is '%s' but the case is '%s'", cid->s, id);
	check_dates(plan, file, ps);
	for (size_t i = 0; team && team->type == DOC_MAP && i < team->n; i++) {
		const struct doc_pair *p = &team->pairs[i];

		if (!settings_check_partner(cfg, p->key, file, p->line, "team", ps))
			continue;
		for (size_t j = 0; p->val->type == DOC_SEQ && j < p->val->n; j++) {
			const struct doc *e = p->val->items[j];

			snprintf(path, sizeof path, "team.%s[%zu]", p->key, j);
			if (e->type == DOC_STR)
				settings_check_member(cfg, e->s, p->key, file, e->line, path, ps);
		}
	}
	for (size_t i = 0; roles && roles->type == DOC_SEQ && i < roles->n; i++) {
		const struct doc *r = roles->items[i];
		const struct doc *p = doc_get(r, "partner");
		const char *member = doc_get_str(r, "member");

		snprintf(path, sizeof path, "roles[%zu]", i);
		if (p && p->type == DOC_STR && settings_partner(cfg, p->s) == NULL)
			problems_add(ps, file, p->line, path, "unknown partner '%s'", p->s);
		if (member)
			settings_check_member(cfg, member, NULL, file, doc_get(r, "member")->line, path, ps);
	}
	for (size_t i = 0; domains && domains->type == DOC_MAP && i < domains->n; i++) {
		const struct doc_pair *dp = &domains->pairs[i];
		const struct doc *goals = doc_get(dp->val, "goals");

		snprintf(path, sizeof path, "domains.%s", dp->key);
		check_owner(cfg, dp->val, path, file, ps);
		for (size_t g = 0; goals && goals->type == DOC_SEQ && g < goals->n; g++) {
			const struct doc *actions = doc_get(goals->items[g], "actions");

			snprintf(path, sizeof path, "domains.%s.goals[%zu]", dp->key, g);
			check_owner(cfg, goals->items[g], path, file, ps);
			for (size_t a = 0; actions && actions->type == DOC_SEQ && a < actions->n; a++) {
				snprintf(path, sizeof path, "domains.%s.goals[%zu].actions[%zu]", dp->key, g, a);
				check_owner(cfg, actions->items[a], path, file, ps);
			}
		}
	}
}


struct doc *
plan_read(const struct view *v, const char *id)
{
	char *path = case_path(id, "plan.yaml");
	char *buf;
	size_t len;
	struct doc *d = NULL;
	int r = view_read(v, path, &buf, &len);

	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", id);
	else if (r == 0) {
		d = casus_load(buf, len, path, "plan");
		free(buf);
	}
	free(path);
	return d;
}


int
txn_put_case_doc(struct txn *t, const struct settings *cfg, struct doc *d, const char *id,
    const char *kind)
{
	struct problems ps = {0};
	char *name = xasprintf("%s.yaml", kind);
	char *path = case_path(id, name);
	char *out;
	size_t len;
	int r = -1;

	if (!schema_validate(casus_schema(kind), d, path, &ps))
		goto done;
	if (strcmp(kind, "plan") == 0)
		plan_check(cfg, d, id, path, &ps);
	else
		reintegration_check(cfg, d, id, path, &ps);
	if (ps.n)
		goto done;
	if (casus_dump(d, kind, &out, &len) < 0)
		goto done;
	r = txn_write(t, path, out, len);
	free(out);
done:
	if (ps.n)
		err_set("cannot store the %s of '%s': %s%s%s",
		    strcmp(kind, "plan") == 0 ? "plan" : "reintegration plan", id, ps.v[0].path,
		    ps.v[0].path[0] ? ": " : "", ps.v[0].msg);
	problems_free(&ps);
	free(path);
	free(name);
	return r;
}


/*
 * authority.c: the table of casus(7), section AUTHORITY, one function per row, each citing the
 * rule it keeps. Rows judge the files as YAML trees, not as decoded records: the guard meets
 * files that fail their schema (case-validate refuses those on its own), and a part that
 * cannot be read counts as changed, so an unreadable file is judged strictly, never waved by.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authority.h"
#include "mem.h"
#include "msg.h"
#include "seal.h"
#include "vocab.h"

/* One judgement: who changes, by which settings, in which file, and the problems found. */
struct judge {
	const struct settings *cfg;     /* before the change */
	const struct member *author;
	const char *file;               /* the path in the store */
	const char *name;               /* the path for messages: below the case's folder */
	struct problems *ps;
};

static void refuse(struct judge *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
refuse(struct judge *j, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	problems_add(j->ps, j->file, 0, NULL, "%s", msg);
	free(msg);
}

static bool
of_partner(const struct judge *j, const char *partner)
{
	return partner != NULL && strcmp(j->author->partner, partner) == 0;
}

static bool
same_address(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* The active administrators of the settings, "a@b, c@d", or NULL if there is none; malloc'd. */
static char *
admins(const struct settings *cfg)
{
	struct buf b = {0};

	for (size_t i = 0; i < cfg->nmembers; i++)
		if (cfg->members[i].active && cfg->members[i].admin)
			buf_printf(&b, "%s%s", b.len ? ", " : "", cfg->members[i].email);
	return b.len ? buf_detach(&b) : NULL;
}

static bool
author_admin(const struct judge *j)
{
	return j->author->active && j->author->admin;
}

/* "only by an administrator (a@b)", or how a store without one gets one. */
static void
refuse_admin(struct judge *j, const char *part)
{
	char *who = admins(j->cfg);

	if (who)
		refuse(j, "%s is changed only by an administrator (%s)", part, who);
	else
		refuse(j, "%s is changed only by an administrator, and this store has none: name one first "
		    "(case-config members.N.admin true)", part);
	free(who);
}

/*
 * The first part of a map that differs between a and b, as a dotted path below prefix, in buf:
 * to name what changed. Returns whether they differ.
 */
static bool
differs(const struct doc *a, const struct doc *b, const char *prefix, struct buf *out)
{
	const struct doc *m[2] = {a, b};

	if (doc_equal(a, b))
		return false;
	if (a == NULL || b == NULL || a->type != DOC_MAP || b->type != DOC_MAP) {
		buf_adds(out, prefix);
		return true;
	}
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < m[k]->n; i++) {
			const char *key = m[k]->pairs[i].key;
			char *sub;
			bool d;

			if (doc_equal(doc_get(a, key), doc_get(b, key)))
				continue;
			sub = prefix[0] ? xasprintf("%s.%s", prefix, key) : xstrdup(key);
			d = differs(doc_get(a, key), doc_get(b, key), sub, out);
			free(sub);
			if (d)
				return true;
		}
	buf_adds(out, prefix);
	return true;
}

/* --- casus.yaml ------------------------------------------------------------------------- */

/* The member items of settings d, their address, partner and whether they are administrators. */
static const struct doc *
member_item(const struct doc *d, const char *email)
{
	const struct doc *ms = doc_get(d, "members");

	for (size_t i = 0; ms && ms->type == DOC_SEQ && i < ms->n; i++)
		if (same_address(doc_get_str(ms->items[i], "email"), email))
			return ms->items[i];
	return NULL;
}

static bool
item_admin(const struct doc *m)
{
	const struct doc *a = doc_get(m, "admin");

	return a != NULL && a->type == DOC_BOOL && a->b;
}

/*
 * Whether two member items are the same but for the keys named in but (a NULL-terminated
 * list): the admin flag is the store's (row 2), and an administrator may register a member's
 * keys in one case (row 1).
 */
static bool
member_same_but(const struct doc *a, const struct doc *b, const char *const *but)
{
	struct doc *x, *y;
	bool same;

	if (a == NULL || b == NULL)
		return a == b;
	x = doc_clone(a);
	y = doc_clone(b);
	for (; *but != NULL; but++) {
		doc_del(x, *but);
		doc_del(y, *but);
	}
	same = doc_equal(x, y);
	doc_free(x);
	doc_free(y);
	return same;
}

static bool
member_same(const struct doc *a, const struct doc *b)
{
	static const char *const but[] = {"admin", NULL};

	return member_same_but(a, b, but);
}

static bool
member_same_but_keys(const struct doc *a, const struct doc *b)
{
	static const char *const but[] = {"admin", "keys", NULL};

	return member_same_but(a, b, but);
}

/* Whether an active member of partner other than email has a current key, by cfg. */
static bool
partner_has_keyholder(const struct settings *cfg, const char *partner, const char *email)
{
	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member *m = &cfg->members[i];

		if (m->active && strcmp(m->partner, partner) == 0 && !same_address(m->email, email) &&
		    member_current_key(m) != NULL)
			return true;
	}
	return false;
}

static bool
partner_has_active(const struct settings *cfg, const char *partner)
{
	for (size_t i = 0; i < cfg->nmembers; i++)
		if (cfg->members[i].active && strcmp(cfg->members[i].partner, partner) == 0)
			return true;
	return false;
}

/* Whether a 458ter setting says "never": absent, false, or no period. */
static bool
shares_never(const struct doc *s)
{
	return s == NULL || (s->type == DOC_BOOL && !s->b) || (s->type == DOC_SEQ && s->n == 0);
}

/*
 * Row 1 (R10, R11): a partner's own settings, its art. 458ter setting and its members, are
 * changed only by that partner's members: each organisation answers for its own deontology and
 * its own people. An administrator may add the first member of a partner that has no active
 * member, or nobody could ever speak for it; and may register the keys of a member whose
 * partner has no other active member with a current key (a store just migrated from before
 * keys, or a lost key of a partner's only keyholder), or that partner could never write again.
 */
static void
row_partner_own(struct judge *j, const struct doc *b, const struct doc *a)
{
	const struct doc *bp = doc_get(b, "partners"), *ap = doc_get(a, "partners");
	const struct doc *lists[2] = {doc_get(b, "members"), doc_get(a, "members")};
	const struct doc *maps[2] = {bp, ap};

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; maps[k] && maps[k]->type == DOC_MAP && i < maps[k]->n; i++) {
			const char *p = maps[k]->pairs[i].key;
			const struct doc *was = doc_lookup(bp, p), *now = doc_lookup(ap, p);
			const struct doc *sw = doc_get(was, "shares_under_458ter");
			const struct doc *sn = doc_get(now, "shares_under_458ter");

			if (k == 1 && doc_get(bp, p) != NULL)
				continue;       /* seen in the first pass */
			if ((shares_never(sw) && shares_never(sn)) || doc_equal(sw, sn) || of_partner(j, p))
				continue;
			refuse(j, "partners.%s.shares_under_458ter is changed only by a member of %s", p, p);
		}
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; lists[k] && lists[k]->type == DOC_SEQ && i < lists[k]->n; i++) {
			const struct doc *m = lists[k]->items[i];
			const char *email = doc_get_str(m, "email");
			const struct doc *was = k == 0 ? m : member_item(b, email);
			const struct doc *now = k == 1 ? m : member_item(a, email);
			const char *pw = doc_get_str(was, "partner"), *pn = doc_get_str(now, "partner");

			if ((k == 1 && was != NULL) || member_same(was, now))
				continue;
			if (was == NULL) {
				if (of_partner(j, pn) || (author_admin(j) && pn &&
				    !partner_has_active(j->cfg, pn)))
					continue;
				refuse(j, "a member of %s is added only by a member of %s, or by an administrator "
				    "while %s has no active member", pn ? pn : "no partner", pn ? pn : "it",
				    pn ? pn : "it");
				continue;
			}
			if (!of_partner(j, pw) && pw != NULL && now != NULL && member_same_but_keys(was, now)) {
				if (author_admin(j) && !partner_has_keyholder(j->cfg, pw, email))
					continue;
				refuse(j, "the keys of member '%s' of %s are changed only by a member of %s, or "
				    "by an administrator while %s has no other member with a key",
				    email ? email : "", pw, pw, pw);
				continue;
			}
			if (!of_partner(j, pw))
				refuse(j, "member '%s' of %s is changed only by a member of %s", email ? email : "",
				    pw ? pw : "no partner", pw ? pw : "it");
			else if (now != NULL && pn != NULL && strcmp(pn, pw) != 0 && !of_partner(j, pn))
				refuse(j, "a member of %s is added only by a member of %s, or by an administrator "
				    "while %s has no active member", pn, pn, pn);
		}
}

/*
 * Row 2 (R2): the store-wide settings (the institution, the categories, the consultation's
 * cadence and lead, the list of partners and their names, who is an administrator) are changed
 * only by an administrator. A store without an active administrator (made before there were
 * any) may have its first one named by any active member, once: after that it has one.
 */
static void
row_store_wide(struct judge *j, const struct doc *b, const struct doc *a)
{
	struct doc *x = b ? doc_clone(b) : doc_new(DOC_NULL), *y = a ? doc_clone(a) : doc_new(DOC_NULL);
	struct doc *docs[2] = {x, y};
	struct buf part = {0};
	char *who = admins(j->cfg);
	const struct doc *lists[2] = {doc_get(b, "members"), doc_get(a, "members")};

	for (int k = 0; k < 2; k++) {
		struct doc *p = doc_get(docs[k], "partners");

		doc_del(docs[k], "members");
		for (size_t i = 0; p && p->type == DOC_MAP && i < p->n; i++)
			doc_del(p->pairs[i].val, "shares_under_458ter");
	}
	if (!author_admin(j) && differs(x, y, "", &part))
		refuse_admin(j, part.len ? part.data : "the settings");
	doc_free(x);
	doc_free(y);
	buf_free(&part);
	for (int k = 0; k < 2 && !author_admin(j) && who != NULL; k++)
		for (size_t i = 0; lists[k] && lists[k]->type == DOC_SEQ && i < lists[k]->n; i++) {
			const struct doc *m = lists[k]->items[i];
			const char *email = doc_get_str(m, "email");
			const struct doc *was = k == 0 ? m : member_item(b, email);
			const struct doc *now = k == 1 ? m : member_item(a, email);

			if ((k == 1 && was != NULL) || item_admin(was) == item_admin(now))
				continue;
			refuse(j, "whether '%s' is an administrator is changed only by an administrator (%s)",
			    email ? email : "", who);
		}
	free(who);
}

/* --- a case's plans ------------------------------------------------------------------------ */

/*
 * Row 3 (R10): a life domain's content (status, owner, note, goals, actions) and a
 * reintegration area's are changed only by the partner that owns it, the one whose information
 * it holds; an unowned one by any member; its owner only by the owner. The others propose
 * their change at the case consultation.
 */
static void
row_owned(struct judge *j, const char *part, const struct doc *was, const struct doc *now)
{
	const char *owner = doc_get_str(was, "owner");

	if (doc_equal(was, now) || owner == NULL || of_partner(j, owner))
		return;
	refuse(j, "%s is changed only by its owner, %s (propose it at the case consultation)", part,
	    owner);
}

/*
 * Row 4 (R9, R2): the rest of a plan (its status, dates, aims, refusals, fixed team and role
 * agreements, which the partners agree together at the consultation) and of a reintegration
 * plan (local partners, follow-up, needs) is changed by any member, each change in the
 * history; a new plan is written whole by any member (plan-new); neither is ever removed.
 * Nothing to judge but the removal, in judge_path().
 */
static void
row_plan(struct judge *j, const struct doc *b, const struct doc *a)
{
	for (int d = 0; d < DOMAIN_N; d++) {
		const char *w = vocab_word(vocab_domains, d);
		char *part = xasprintf("domains.%s", w);

		row_owned(j, part, doc_get(doc_get(b, "domains"), w), doc_get(doc_get(a, "domains"), w));
		free(part);
	}
}

static void
row_reintegration(struct judge *j, const struct doc *b, const struct doc *a)
{
	for (int r = 0; r < AREA_N; r++) {
		const char *w = vocab_word(vocab_areas, r);

		row_owned(j, w, doc_get(b, w), doc_get(a, w));
	}
}

/* --- a case's records ---------------------------------------------------------------------- */

/*
 * Row 5 (R10, R2): a consent or legal-basis record is only added, never changed or removed: a
 * withdrawal is a record of its own, so what held on each day stays readable.
 */
static void
row_consent(struct judge *j, bool was)
{
	if (was)
		refuse(j, "%s is only added, never changed or removed (a withdrawal is a new record: "
		    "consent-record --withdraw)", j->name);
}

static bool
held(const struct doc *o)
{
	const char *s = doc_get_str(o, "status");

	return s != NULL && strcmp(s, "held") == 0;
}

/*
 * Whether a is b re-sealed by the author: the same but for the sealed values and recipients
 * of the parts the author's partner holds (seal_mask()), which a member of a holder may seal
 * again for the recipients of the day (case-reseal).
 */
static bool
resealed(const struct judge *j, const struct doc *b, const struct doc *a)
{
	struct doc *x, *y;
	bool same;

	if (a == NULL || b == NULL)
		return false;
	x = seal_mask(b, SEAL_OVERLEG, j->author->partner);
	y = seal_mask(a, SEAL_OVERLEG, j->author->partner);
	same = doc_equal(x, y);
	doc_free(x);
	doc_free(y);
	return same;
}

/*
 * Row 6 (R5, R7, R2): a planned or cancelled consultation is written, rewritten and removed
 * by any member (overleg-schedule); a held one is never changed or removed, except corrected
 * by whoever recorded it (overleg-record --correct), who stays its recorder, and re-sealed by
 * a member of a partner that holds a part of it, which changes nothing else. A consultation
 * recorded as held names its recorder, the author: recorded_by.
 */
static void
row_overleg(struct judge *j, const struct doc *b, const struct doc *a, bool was, bool now)
{
	const char *by = doc_get_str(b, "recorded_by");

	if (was && held(b)) {
		if (now && !same_address(by, j->author->email) && resealed(j, b, a))
			return;
		if (by == NULL)
			refuse(j, "%s was held and is never changed or removed", j->name);
		else if (!same_address(by, j->author->email))
			refuse(j, "%s was held and is corrected only by whoever recorded it, %s "
			    "(overleg-record --correct)", j->name, by);
		else if (!now || !held(a))
			refuse(j, "%s was held and is never removed or made planned again", j->name);
		else if (!same_address(doc_get_str(a, "recorded_by"), by))
			refuse(j, "%s was recorded by %s, and stays so", j->name, by);
		return;
	}
	if (now && held(a) && !same_address(doc_get_str(a, "recorded_by"), j->author->email))
		refuse(j, "%s is recorded as held only with recorded_by the address of its recorder, %s",
		    j->name, j->author->email);
}

/* --- the store's files ---------------------------------------------------------------------- */

enum kind { K_SETTINGS, K_PLAN, K_REINTEGRATION, K_CONSENT, K_OVERLEG, K_OTHER };

/*
 * What kind of file path is, and its name for messages: below the case's folder for a case's
 * files ("overleg/2026-11-20.yaml"), else the path.
 */
static enum kind
kind_of(const char *path, const char **name)
{
	const char *p = path;

	*name = path;
	if (strcmp(path, CASUS_CONFIG) == 0)
		return K_SETTINGS;
	/* cases/<fan-out>/<id>/<file> */
	if (strncmp(p, "cases/", 6) != 0 || (p = strchr(p + 6, '/')) == NULL ||
	    (p = strchr(p + 1, '/')) == NULL)
		return K_OTHER;
	*name = ++p;
	if (strcmp(p, "plan.yaml") == 0)
		return K_PLAN;
	if (strcmp(p, "reintegration.yaml") == 0)
		return K_REINTEGRATION;
	if (strncmp(p, "consent/", 8) == 0 && strchr(p + 8, '/') == NULL)
		return K_CONSENT;
	if (strncmp(p, "overleg/", 8) == 0 && strchr(p + 8, '/') == NULL)
		return K_OVERLEG;
	*name = path;
	return K_OTHER;
}

/*
 * Reads path in v: 1 and *buf when it is there, 0 when it is not, -1 on error. A path the
 * store refuses to read as a file (a link, a folder) is there, with nothing readable in it.
 */
static int
read_at(const struct view *v, const char *path, char **buf, size_t *len)
{
	int r;

	*buf = NULL;
	*len = 0;
	if (v == NULL)
		return 0;
	r = view_read(v, path, buf, len);
	if (r == STORE_NOTFOUND)
		return 0;
	if (r < 0 && store_read_refused()) {
		err_clear();
		return 1;
	}
	return r < 0 ? -1 : 1;
}

/* The tree of a file, or a null one when it is not YAML casus reads: then every part differs. */
static struct doc *
tree(const char *buf, size_t len, const char *path)
{
	struct problems ignore = {0};
	struct doc *d = NULL;

	if (buf == NULL || doc_parse(buf, len, path, &doc_limits_casus, &d, &ignore) < 0)
		d = doc_new(DOC_NULL);
	problems_free(&ignore);
	return d;
}

static int
judge_path(struct judge *j, const struct view *before, const struct view *after, const char *path)
{
	char *bb, *ab;
	size_t bl, al;
	int was, now;
	struct doc *b, *a;
	enum kind k = kind_of(path, &j->name);

	j->file = path;
	if ((was = read_at(before, path, &bb, &bl)) < 0)
		return -1;
	if ((now = read_at(after, path, &ab, &al)) < 0) {
		free(bb);
		return -1;
	}
	if (was == now && bl == al && (bl == 0 || memcmp(bb, ab, bl) == 0)) {
		free(bb);
		free(ab);
		return 0;
	}
	b = was ? tree(bb, bl, path) : NULL;
	a = now ? tree(ab, al, path) : NULL;
	switch (k) {
	case K_SETTINGS:
		row_partner_own(j, b, a);
		row_store_wide(j, b, a);
		break;
	case K_PLAN:
	case K_REINTEGRATION:
		if (!now)
			refuse(j, "%s is never removed", j->name);
		else if (was && k == K_PLAN)
			row_plan(j, b, a);
		else if (was)
			row_reintegration(j, b, a);
		break;
	case K_CONSENT:
		row_consent(j, was);
		break;
	case K_OVERLEG:
		row_overleg(j, b, a, was, now);
		break;
	case K_OTHER:
		/* Row 7 (R2): a file no row names is the store's, as its settings are. */
		if (!author_admin(j))
			refuse_admin(j, path);
		break;
	}
	doc_free(b);
	doc_free(a);
	free(bb);
	free(ab);
	return 0;
}

int
authority_check(const struct view *before, const struct settings *cfg_before,
    const struct view *after, const char *const *paths, size_t npaths,
    const struct member *author, struct problems *ps)
{
	struct judge j = {.cfg = cfg_before, .author = author, .ps = ps};
	size_t n0 = ps->n;

	if (before == NULL || cfg_before == NULL)
		return 0;
	/* Row 0 (R2): only an active, registered member changes anything. */
	if (author == NULL || !author->active) {
		for (size_t i = 0; i < npaths && ps->n == n0; i++) {
			const char *name;
			char *a, *b;
			size_t al, bl;
			int was, now;

			kind_of(paths[i], &name);
			was = read_at(before, paths[i], &b, &bl);
			now = read_at(after, paths[i], &a, &al);
			if (was < 0 || now < 0) {
				free(a);
				free(b);
				return -1;
			}
			if (was != now || al != bl || (al && memcmp(a, b, al) != 0))
				problems_add(ps, paths[i], 0, NULL, "%s is changed only by an active team member", name);
			free(a);
			free(b);
		}
		return ps->n > n0;
	}
	for (size_t i = 0; i < npaths; i++)
		if (judge_path(&j, before, after, paths[i]) < 0)
			return -1;
	return ps->n > n0;
}

/* The case ID of a case's file ("cases/3f/B-1/plan.yaml"), else the file; malloc'd. */
static char *
object_of(const char *file)
{
	const char *p, *q;

	if (strncmp(file, "cases/", 6) == 0 && (p = strchr(file + 6, '/')) != NULL &&
	    (q = strchr(p + 1, '/')) != NULL)
		return xstrndup(p + 1, (size_t)(q - p - 1));
	return xstrdup(file);
}

int
authority_txn(struct txn *t, const struct settings *cfg)
{
	struct problems ps = {0};
	char **paths;
	size_t n;
	int r;

	txn_staged_paths(t, &paths, &n);
	r = authority_check(txn_base_view(t), cfg, txn_view(t), (const char *const *)paths, n,
	    settings_member(cfg, txn_author_email(t)), &ps);
	store_list_free(paths, n);
	if (r == 1) {
		char *object = object_of(ps.v[0].file);

		if (ps.n > 1)
			err_set("cannot change '%s': %s (and %zu more)", object, ps.v[0].msg, ps.n - 1);
		else
			err_set("cannot change '%s': %s", object, ps.v[0].msg);
		free(object);
		r = STORE_REFUSED;
	}
	problems_free(&ps);
	return r;
}

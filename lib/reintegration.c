/*
 * reintegration.c: the reintegration plan decoded (see reintegration.h), its check, and the one
 * way it is written. As in plan.c, the decoder refuses a tree without the schema's shape
 * rather than trust that the schema ran.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caseid.h"
#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "reintegration.h"
#include "schemas.h"
#include "seal.h"

static int
bad(const struct reintegration *r, const char *what)
{
	if (r->case_id)
		err_set("cannot read the reintegration plan of '%s': %s is not as the schema says",
		    r->case_id, what);
	else
		err_set("cannot read a reintegration plan: %s is not as the schema says", what);
	return -1;
}

/* The string at key of map: 0 with *s NULL when absent, -1 when there but not a string. */
static int
str_at(const struct doc *map, const char *key, const char **s, int *line)
{
	const struct doc *v = doc_get(map, key);

	*s = v && v->type == DOC_STR ? v->s : NULL;
	if (line)
		*line = v ? v->line : 0;
	return v && v->type != DOC_STR ? -1 : 0;
}

static int
decode_areas(struct reintegration *r)
{
	for (int i = 0; i < AREA_N; i++) {
		const struct doc *a = doc_get(r->doc, vocab_word(vocab_areas, i));
		const struct doc *note = doc_get(a, "note");
		struct reint_area *ar = &r->areas[i];
		const char *st;

		/* The note is a text or a sealed one (seal_text()). */
		ar->note = seal_text(note);
		if (a == NULL || a->type != DOC_MAP || str_at(a, "status", &st, NULL) < 0 ||
		    vocab_find(vocab_area_status, st) < 0 ||
		    str_at(a, "owner", &ar->owner, &ar->owner_line) < 0 || (note && ar->note == NULL))
			return bad(r, vocab_word(vocab_areas, i));
		ar->status = vocab_find(vocab_area_status, st);
		ar->line = a->line;
	}
	return 0;
}

static int
decode_local_partners(struct reintegration *r, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(r, "local_partners");
	r->local_partners = xcalloc(l->n ? l->n : 1, sizeof *r->local_partners);
	for (size_t i = 0; i < l->n; i++) {
		struct reint_partner *lp = &r->local_partners[r->nlocal_partners++];

		lp->line = l->items[i]->line;
		if (str_at(l->items[i], "organisation", &lp->organisation, NULL) < 0 ||
		    str_at(l->items[i], "role", &lp->role, NULL) < 0 ||
		    lp->organisation == NULL || lp->role == NULL)
			return bad(r, "a local partner");
	}
	return 0;
}

static int
decode_follow_up(struct reintegration *r, const struct doc *f)
{
	const struct doc *from = doc_get(f, "from");

	if (f == NULL)
		return 0;
	if (f->type != DOC_MAP ||
	    str_at(f, "justice_house", &r->follow_up.justice_house, NULL) < 0 ||
	    str_at(f, "member", &r->follow_up.member, &r->follow_up.member_line) < 0 ||
	    r->follow_up.justice_house == NULL || r->follow_up.member == NULL ||
	    (from && (from->type != DOC_STR ||
	    date_parse(from->s, from->len, &r->follow_up.from) < 0)))
		return bad(r, "follow_up");
	r->follow_up.line = f->line;
	r->has_follow_up = true;
	return 0;
}

static int
decode_needs(struct reintegration *r, const struct doc *l)
{
	if (l == NULL)
		return 0;
	if (l->type != DOC_SEQ)
		return bad(r, "needs");
	r->needs = xcalloc(l->n ? l->n : 1, sizeof *r->needs);
	for (size_t i = 0; i < l->n; i++) {
		struct reint_need *n = &r->needs[r->nneeds++];
		const char *purpose;

		n->line = l->items[i]->line;
		if (str_at(l->items[i], "category", &n->category, &n->category_line) < 0 ||
		    str_at(l->items[i], "from", &n->from, &n->from_line) < 0 ||
		    str_at(l->items[i], "purpose", &purpose, NULL) < 0 ||
		    n->category == NULL || n->from == NULL ||
		    (purpose && vocab_find(vocab_purposes, purpose) < 0))
			return bad(r, "a need");
		n->purpose = purpose ? vocab_find(vocab_purposes, purpose) : PURPOSE_REINTEGRATION;
	}
	return 0;
}

struct reintegration *
reintegration_decode(struct doc *d)
{
	struct reintegration *r = xcalloc(1, sizeof *r);

	r->doc = d;
	if (d == NULL || d->type != DOC_MAP || str_at(d, "case_id", &r->case_id, &r->case_id_line) < 0 ||
	    r->case_id == NULL) {
		bad(r, "case_id");
		goto fail;
	}
	if (decode_areas(r) < 0 || decode_local_partners(r, doc_get(d, "local_partners")) < 0 ||
	    decode_follow_up(r, doc_get(d, "follow_up")) < 0 || decode_needs(r, doc_get(d, "needs")) < 0)
		goto fail;
	return r;
fail:
	reintegration_free(r);
	return NULL;
}

void
reintegration_free(struct reintegration *r)
{
	if (r == NULL)
		return;
	free(r->local_partners);
	free(r->needs);
	doc_free(r->doc);
	free(r);
}

struct reintegration *
reintegration_parse(const char *buf, size_t len, const char *file, struct problems *ps)
{
	struct doc *d = casus_parse(buf, len, file, "reintegration", ps);

	return d ? reintegration_decode(d) : NULL;
}

int
reintegration_read(const struct view *v, const char *id, struct reintegration **out)
{
	struct problems ps = {0};
	char *path = case_path(id, REINTEGRATION_FILE), *buf;
	size_t len;
	int r = view_read(v, path, &buf, &len);

	*out = NULL;
	if (r == 0) {
		*out = reintegration_parse(buf, len, path, &ps);
		if (*out == NULL && ps.n)
			problems_to_error(&ps, "read", path);
		r = *out ? 0 : -1;
		free(buf);
	} else if (r == STORE_NOTFOUND) {
		r = 0;
	}
	problems_free(&ps);
	free(path);
	return r;
}

void
reintegration_check(const struct settings *cfg, const struct reintegration *r, const char *id,
    const char *file, struct problems *ps)
{
	const char *jh = vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN);

	if (id && strcmp(r->case_id, id) != 0)
		problems_add(ps, file, r->case_id_line, "case_id", "is '%s' but the case is '%s'",
		    r->case_id, id);
	/* An area's note belongs to its owner, who decides who may read it (R10). */
	for (int i = 0; i < AREA_N; i++)
		settings_check_partner(cfg, r->areas[i].owner, file, r->areas[i].owner_line,
		    vocab_word(vocab_areas, i), ps);
	/* The follow-up after release is the justice houses' (R8). */
	if (r->has_follow_up)
		settings_check_member(cfg, r->follow_up.member, jh, file, r->follow_up.member_line,
		    "follow_up.member", ps);
	for (size_t i = 0; i < r->nneeds; i++) {
		const struct reint_need *n = &r->needs[i];
		char *path = xasprintf("needs[%zu]", i);

		if (settings_category(cfg, n->category) == NULL)
			problems_add(ps, file, n->category_line, path, "unknown category '%s'", n->category);
		if (settings_partner(cfg, n->from) == NULL)
			problems_add(ps, file, n->from_line, path, "unknown partner '%s'", n->from);
		free(path);
	}
}

const char *
reintegration_follow_up_inactive(const struct settings *cfg, const struct reintegration *old,
    const struct reintegration *r)
{
	static const struct date now = {0, 0, 0};
	const char *m = r->has_follow_up ? r->follow_up.member : NULL;

	if (m == NULL || (old && old->has_follow_up && old->follow_up.member &&
	    strcasecmp(old->follow_up.member, m) == 0))
		return NULL;
	return settings_member_active(cfg, m, now) ? NULL : m;
}

int
reintegration_put(struct txn *t, const struct settings *cfg, struct doc *d, const char *id)
{
	struct problems ps = {0};
	struct reintegration *r = NULL;
	struct doc *sealed = NULL;
	char *path = case_path(id, REINTEGRATION_FILE), *out;
	size_t len;
	int ret = -1;

	if (!schema_validate(casus_schema("reintegration"), d, path, &ps))
		goto done;
	r = reintegration_decode(doc_clone(d));
	if (r == NULL)
		goto done;
	reintegration_check(cfg, r, id, path, &ps);
	if (ps.n)
		goto done;
	/* A copy, as plan_put() seals one. */
	sealed = doc_clone(d);
	if (case_seal(txn_view(t), cfg, sealed, SEAL_REINTEGRATION, id, REINTEGRATION_FILE) < 0) {
		err_set("cannot store the reintegration plan of '%s': %s", id, err_last());
		goto done;
	}
	if (casus_dump(sealed, "reintegration", &out, &len) == 0) {
		ret = txn_write(t, path, out, len);
		free(out);
	}
done:
	if (ps.n)
		plan_put_error(&ps, "reintegration plan", id);
	doc_free(sealed);
	reintegration_free(r);
	problems_free(&ps);
	free(path);
	return ret;
}

struct doc *
reintegration_template(const char *id)
{
	struct doc *d = doc_new(DOC_MAP);

	doc_set(d, "case_id", doc_new_str(id));
	for (int i = 0; i < AREA_N; i++) {
		struct doc *a = doc_new(DOC_MAP);

		doc_set(a, "status", doc_new_str(vocab_word(vocab_area_status, AS_TO_ARRANGE)));
		doc_set(d, vocab_word(vocab_areas, i), a);
	}
	doc_set(d, "local_partners", doc_new(DOC_SEQ));
	doc_set(d, "needs", doc_new(DOC_SEQ));
	return d;
}

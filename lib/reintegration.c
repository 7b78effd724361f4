/* reintegration.c: a case's reintegration plan: its checks beyond the schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reintegration.h"
#include "vocab.h"

void
reintegration_check(const struct settings *cfg, const struct doc *r, const char *id,
    const char *file, struct problems *ps)
{
	static const char *const areas[] = {"housing", "work", "network", "care", NULL};
	const struct doc *cid = doc_get(r, "case_id"), *fu = doc_get(r, "follow_up");
	const struct doc *needs = doc_get(r, "needs");
	char path[64];

	if (id && cid && cid->type == DOC_STR && strcmp(cid->s, id) != 0)
		problems_add(ps, file, cid->line, "case_id", "is '%s' but the case is '%s'", cid->s, id);
	for (int i = 0; areas[i]; i++) {
		const struct doc *o = doc_get(doc_get(r, areas[i]), "owner");

		if (o && o->type == DOC_STR)
			settings_check_partner(cfg, o->s, file, o->line, areas[i], ps);
	}
	if (fu) {
		const struct doc *m = doc_get(fu, "member");
		if (m && m->type == DOC_STR)
			settings_check_member(cfg, m->s, vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN),
			    file, m->line, "follow_up.member", ps);
	}
	for (size_t i = 0; needs && needs->type == DOC_SEQ && i < needs->n; i++) {
		const struct doc *c = doc_get(needs->items[i], "category");
		const struct doc *f = doc_get(needs->items[i], "from");

		snprintf(path, sizeof path, "needs[%zu]", i);
		if (c && c->type == DOC_STR && settings_category(cfg, c->s) == NULL)
			problems_add(ps, file, c->line, path, "unknown category '%s'", c->s);
		if (f && f->type == DOC_STR && settings_partner(cfg, f->s) == NULL)
			problems_add(ps, file, f->line, path, "unknown partner '%s'", f->s);
	}
}

